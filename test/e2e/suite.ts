/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/** Starts a real n8n of the line under test with this package's tarball and the suite's workflows. */
import { decodeContacts } from '../../nodes/PerspectiveFunnel/funnel/codec';
import type { Contact } from '../../nodes/PerspectiveFunnel/funnel/types';
import { N8nDatabase, type StoredExecution } from '../../scripts/lib/database';
import {
	N8nProcess,
	ensureRuntime,
	existingTarball,
	packPackage,
	packRedisPackage,
	prepareUserFolder,
	REDIS_PACKAGE_NAME,
	type N8nLine,
} from '../../scripts/lib/n8n';
import { TRIGGER_NODE_NAME, productionUrl } from '../../scripts/lib/workflows';

const BROWSER_ID = 'perspective-funnel-e2e';

export const LINE = (process.env.N8N_LINE ?? '1') as N8nLine;

const reuse = process.env.E2E_REUSE_TARBALL === '1';
let tarball: string | undefined;
function packedOnce(): string {
	// A run of several files packs once: the first file builds, the others reuse the tarball.
	tarball ??= reuse ? (existingTarball() ?? packPackage()) : packPackage();
	return tarball;
}

let redisTarball: string | undefined;
function redisPackedOnce(): string {
	redisTarball ??= reuse ? (existingTarball(REDIS_PACKAGE_NAME) ?? packRedisPackage()) : packRedisPackage();
	return redisTarball;
}

export interface SuiteOptions {
	/** Installs the Redis package (redis/) too, beside this one, as a second community package. */
	redisPackage?: boolean;
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

	static async start(
		name: string,
		port: number,
		workflows: Array<{ id: string }>,
		credentials: object[] = [],
		options: SuiteOptions = {},
	): Promise<Suite> {
		const runtime = ensureRuntime(LINE);
		const userFolder = prepareUserFolder(`${name}-n8n${LINE}`, packedOnce(), ...(options.redisPackage ? [redisPackedOnce()] : []));
		const n8n = new N8nProcess({ runtime, userFolder, port });
		n8n.importWorkflows(workflows, credentials);
		const suite = new Suite(n8n, N8nDatabase.forUserFolder(userFolder, runtime.toolsModules));
		suite.webhookIds = workflows.flatMap((workflow) =>
			((workflow as { nodes?: Array<{ webhookId?: string }> }).nodes ?? []).flatMap((node) => node.webhookId ?? []),
		);
		try {
			await suite.startAndWait();
		} catch (error) {
			// a webhook that never registers must not leave n8n running after the test file
			await n8n.stop();
			throw error;
		}
		return suite;
	}

	private webhookIds: string[] = [];

	/** Starts n8n and waits until every production webhook of the suite is registered. */
	private async startAndWait(): Promise<void> {
		await this.n8n.start();
		for (const webhookId of this.webhookIds) await this.n8n.waitForWebhook(this.url(webhookId));
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
		if (typeof parsed.emitted === 'number') this.emittedInAnswers += parsed.emitted;
		return { status: response.status, body: parsed };
	}

	/** The sum of `emitted` over every answer the node gave this suite: what the node decided to emit. */
	emittedInAnswers = 0;

	/** Whether n8n logged that its own SQLite writes timed out (n8n 2.x under load drops those writes). */
	get n8nDroppedWrites(): boolean {
		return /LockAcquireTimeoutError/.test(this.n8n.log);
	}

	/** Sends every body, `concurrency` requests in flight at a time, in order; returns the statuses. */
	async postAll(url: string, bodies: unknown[], concurrency: number): Promise<number[]> {
		const statuses = new Array<number>(bodies.length);
		let next = 0;
		const worker = async () => {
			while (next < bodies.length) {
				const index = next++;
				statuses[index] = (await this.post(url, bodies[index])).status;
			}
		};
		await Promise.all(Array.from({ length: concurrency }, worker));
		return statuses;
	}

	/** Waits until at least `count` executions are stored, then a moment more for stragglers. */
	async executions(workflowId: string, count = 0, timeoutMs = 60_000, nodeName?: string): Promise<StoredExecution[]> {
		const started = Date.now();
		let rows = await this.db.executions(workflowId, nodeName);
		while (rows.filter((row) => row.status !== 'running' && row.status !== 'new').length < count) {
			if (Date.now() - started > timeoutMs) break;
			await new Promise((done) => setTimeout(done, 200));
			rows = await this.db.executions(workflowId, nodeName);
		}
		await new Promise((done) => setTimeout(done, 1500));
		return await this.db.executions(workflowId, nodeName);
	}

	/** Every item the trigger emitted in the stored executions of a workflow. */
	async emitted(workflowId: string, count = 0): Promise<Array<Record<string, unknown>>> {
		return (await this.executions(workflowId, count)).flatMap((execution) => execution.items);
	}

	/** The contacts in the state n8n stored for the workflow's trigger. */
	async storedContacts(workflowId: string): Promise<Contact[]> {
		const staticData = await this.db.staticData(workflowId);
		const node = staticData[`node:${TRIGGER_NODE_NAME}`] as { contacts?: string } | undefined;
		return node?.contacts ? decodeContacts(node.contacts).contacts : [];
	}

	async storedContactIds(workflowId: string): Promise<string[]> {
		return (await this.storedContacts(workflowId)).map((contact) => contact.id);
	}

	/** Waits until n8n's saved state satisfies `ready`; returns the last state read. */
	async storedStateWhen(workflowId: string, ready: (contacts: Contact[]) => boolean, timeoutMs = 15_000): Promise<Contact[]> {
		const started = Date.now();
		let contacts = await this.storedContacts(workflowId);
		while (!ready(contacts) && Date.now() - started < timeoutMs) {
			await new Promise((done) => setTimeout(done, 100));
			contacts = await this.storedContacts(workflowId);
		}
		return contacts;
	}

	/** Waits until n8n's saved static data holds these contacts (n8n saves after answering). */
	async storedContactIdsIncluding(workflowId: string, ids: string[]): Promise<string[]> {
		const contacts = await this.storedStateWhen(workflowId, (stored) => ids.every((id) => stored.some((contact) => contact.id === id)));
		return contacts.map((contact) => contact.id);
	}

	/**
	 * Does what the editor does when a user clicks "Test workflow": registers the trigger's
	 * test URL (/webhook-test/...) for one request. Sets up the owner account on first use.
	 */
	async listenForTestRequest(workflowId: string): Promise<void> {
		const answer = await this.runManually(workflowId, TRIGGER_NODE_NAME);
		if (!answer.includes('waitingForWebhook')) throw new Error(`n8n did not start listening: ${answer}`);
	}

	/**
	 * Starts a manual run from a trigger, as the editor's test buttons do (for a poll trigger:
	 * "Fetch Test Event"). Returns n8n's answer as text.
	 */
	async runManually(workflowId: string, triggerName: string): Promise<string> {
		const headers = await this.editorHeaders();
		const workflow = await fetch(`${this.n8n.baseUrl}/rest/workflows/${workflowId}`, { headers });
		const { data: workflowData } = (await workflow.json()) as { data: Record<string, unknown> };
		const run = await fetch(`${this.n8n.baseUrl}/rest/workflows/${workflowId}/run`, {
			method: 'POST',
			headers,
			// n8n 1.x runs the workflow data it is sent; 2.x reads it from its database
			body: JSON.stringify({ workflowData, triggerToStartFrom: { name: triggerName } }),
		});
		return JSON.stringify(await run.json());
	}

	/** The node types the editor gets from n8n (signed in, as the editor is). */
	async nodeTypes(): Promise<Array<{ name: string; outputs: unknown }>> {
		const response = await fetch(`${this.n8n.baseUrl}/types/nodes.json`, { headers: await this.editorHeaders() });
		if (!response.ok) throw new Error(`node types: ${response.status} ${await response.text()}`);
		return (await response.json()) as Array<{ name: string; outputs: unknown }>;
	}

	/** Runs a credential's test as the editor's "Test" button does; n8n's answer. */
	async testCredential(credential: { id: string; name: string; type: string; data: Record<string, unknown> }): Promise<{ status: string; message: string }> {
		const response = await fetch(`${this.n8n.baseUrl}/rest/credentials/test`, {
			method: 'POST',
			headers: await this.editorHeaders(),
			body: JSON.stringify({ credentials: credential }),
		});
		const answer = (await response.json()) as { data?: { status: string; message: string } };
		if (!answer.data) throw new Error(`credential test failed: ${response.status} ${JSON.stringify(answer)}`);
		return answer.data;
	}

	testUrl(webhookId: string): string {
		return `${this.n8n.baseUrl}/webhook-test/${webhookId}/webhook`;
	}

	private cookie: string | undefined;

	/** The headers of the signed-in editor; sets up the owner account on first use. */
	private async editorHeaders(): Promise<Record<string, string>> {
		this.cookie ??= await this.ownerCookie();
		return { cookie: this.cookie, 'browser-id': BROWSER_ID, 'content-type': 'application/json' };
	}

	private async ownerCookie(): Promise<string> {
		const response = await fetch(`${this.n8n.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
			body: JSON.stringify({ email: 'owner@example.com', firstName: 'Test', lastName: 'Owner', password: 'E2e-Password-1' }),
		});
		const cookie = response.headers.get('set-cookie')?.split(';')[0];
		if (!response.ok || !cookie) throw new Error(`owner setup failed: ${response.status} ${await response.text()}`);
		return cookie;
	}

	async restart(): Promise<void> {
		await this.n8n.stop();
		await this.startAndWait();
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

/** A longer session: six answers, the email, the phone, one more answer, then a result page. */
export function longVisitorSession(contactId: string, startMs = Date.now() - 30 * 60_000) {
	const at = (minute: number) => new Date(startMs + minute * 60_000).toISOString();
	const base = (minute: number) => ({ type: 'response', contactId, funnelName: 'Solar check', timestamp: at(minute) });
	return [
		...Array.from({ length: 6 }, (_, index) => ({ ...base(index), answers: [{ id: `q${index + 1}`, title: `Question ${index + 1}`, value: index % 2 ? ['A', 'B'] : index * 10 }] })),
		{ ...base(6), answers: [{ id: 'email', value: `${contactId}@example.com` }] },
		{ ...base(7), answers: [{ id: 'phone', value: '+49 30 123456' }] },
		{ ...base(8), answers: [{ id: 'address.city', value: 'Berlin' }], cookies: ['Meta Pixel'] },
		{ ...base(9), page: { isLast: true, result: 'Good fit' } },
	];
}

/** Every contact's long session, interleaved across contacts, each contact's events in order. */
export function interleavedSessions(ids: string[]) {
	const sessions = ids.map((id) => longVisitorSession(id));
	return sessions[0].flatMap((_, step) => sessions.map((session) => session[step]));
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
