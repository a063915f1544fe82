/** Starts a real n8n of the line under test with this package's tarball and the suite's workflows. */
import { decodeContacts } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { N8nDatabase, type StoredExecution } from '../../scripts/lib/database';
import {
	N8nProcess,
	ensureRuntime,
	existingTarball,
	packPackage,
	prepareUserFolder,
	type N8nLine,
} from '../../scripts/lib/n8n';
import { TRIGGER_NODE_NAME, productionUrl } from '../../scripts/lib/workflows';

export const LINE = (process.env.N8N_LINE ?? '1') as N8nLine;

let tarball: string | undefined;
function packedOnce(): string {
	// A run of several files packs once: the first file builds, the others reuse the tarball.
	tarball ??= process.env.E2E_REUSE_TARBALL === '1' ? (existingTarball() ?? packPackage()) : packPackage();
	return tarball;
}

export interface Reply {
	status: number;
	body: Record<string, unknown>;
}

export class Suite {
	readonly n8n: N8nProcess;
	readonly db: N8nDatabase;

	private constructor(n8n: N8nProcess, db: N8nDatabase) {
		this.n8n = n8n;
		this.db = db;
	}

	static async start(name: string, port: number, workflows: Array<{ id: string }>, credentials: object[] = []): Promise<Suite> {
		const runtime = ensureRuntime(LINE);
		const userFolder = prepareUserFolder(`${name}-n8n${LINE}`, packedOnce());
		const n8n = new N8nProcess({ runtime, userFolder, port });
		n8n.importWorkflows(workflows, credentials);
		await n8n.start();
		return new Suite(n8n, N8nDatabase.forUserFolder(userFolder, runtime.toolsModules));
	}

	url(webhookId: string, query: Record<string, string> = {}): string {
		const search = new URLSearchParams(query).toString();
		return `${productionUrl(this.n8n.baseUrl, webhookId)}${search ? `?${search}` : ''}`;
	}

	async post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await response.text();
		let parsed: Record<string, unknown>;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = { text };
		}
		return { status: response.status, body: parsed };
	}

	/** Waits until at least `count` executions are stored, then a moment more for stragglers. */
	async executions(workflowId: string, count = 0, timeoutMs = 60_000): Promise<StoredExecution[]> {
		const started = Date.now();
		let rows = await this.db.executions(workflowId);
		while (rows.filter((row) => row.status !== 'running' && row.status !== 'new').length < count) {
			if (Date.now() - started > timeoutMs) break;
			await new Promise((done) => setTimeout(done, 200));
			rows = await this.db.executions(workflowId);
		}
		await new Promise((done) => setTimeout(done, 1500));
		return await this.db.executions(workflowId);
	}

	/** Every item the trigger emitted in the stored executions of a workflow. */
	async emitted(workflowId: string, count = 0): Promise<Array<Record<string, unknown>>> {
		return (await this.executions(workflowId, count)).flatMap((execution) => execution.items);
	}

	/** Contact ids in the state n8n stored for the workflow's trigger. */
	async storedContactIds(workflowId: string): Promise<string[]> {
		const staticData = await this.db.staticData(workflowId);
		const node = staticData[`node:${TRIGGER_NODE_NAME}`] as { contacts?: string } | undefined;
		return node?.contacts ? decodeContacts(node.contacts).contacts.map((contact) => contact.id) : [];
	}

	async restart(): Promise<void> {
		await this.n8n.stop();
		await this.n8n.start();
	}

	async stop(): Promise<void> {
		await this.n8n.stop();
	}
}

/** A realistic visitor, told as response events, with times relative to now. */
export function visitorSession(contactId: string, funnelName = 'Solar check', startMs = Date.now() - 10 * 60_000) {
	const at = (minute: number) => new Date(startMs + minute * 60_000).toISOString();
	return [
		{ type: 'response', contactId, funnelName, globalId: `g_${contactId}`, timestamp: at(0), answers: [{ id: 'roofType', title: 'Which roof?', value: ['Flat', 'Gable'] }], cookies: ['Google Analytics'] },
		{ type: 'response', contactId, funnelName, timestamp: at(1), answers: [{ id: 'monthlyBill', title: 'Monthly bill', value: 120 }, { id: 'address.city', value: 'Berlin' }] },
		{ type: 'response', contactId, funnelName, timestamp: at(2), answers: [{ id: 'firstName', value: 'Ada' }, { id: 'email', value: `${contactId}@example.com` }] },
		{ type: 'response', contactId, funnelName, timestamp: at(3), answers: [{ id: 'phone', value: '+49 30 123456' }] },
		{ type: 'response', contactId, funnelName, timestamp: at(4), page: { isLast: true, result: 'Good fit' } },
	];
}

/** Perspective's own webhook body for a contact, as its two webhooks send it. */
export function perspectiveBody(contactId: string, completed: boolean) {
	const created = Date.now() - 20 * 60_000;
	const at = (minute: number) => new Date(created + minute * 60_000).toISOString();
	return {
		id: contactId,
		funnelName: 'Solar check',
		meta: {
			createdAt: at(0),
			lastSeenAt: at(completed ? 5 : 3),
			completedAt: completed ? at(5) : null,
			convertedAt: at(3),
			globalId: `g_${contactId}`,
			completed,
			converted: true,
		},
		profile: {
			firstName: { value: 'Ada', title: 'First name' },
			email: { value: `${contactId}@example.com`, title: 'Email' },
			address: { city: { value: 'Berlin', title: 'City' } },
			...(completed ? { result: { value: 'Good fit', title: 'Result' } } : {}),
		},
	};
}
