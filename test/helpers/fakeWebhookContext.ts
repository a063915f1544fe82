import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

export interface FakeRequest {
	body: unknown;
	query?: Record<string, unknown>;
	headers?: Record<string, string>;
	mode?: 'webhook' | 'manual';
	/** The body as received; by default the JSON of `body` (computed when the node asks for it). */
	rawBody?: { length: number };
}

export interface FakeNode {
	parameters?: IDataObject;
	secretToken?: string;
	/** Shared between requests, as n8n's database row is. */
	staticData?: IDataObject;
	workflowId?: string;
	nodeId?: string;
	/** The credential type that holds `secretToken` (the main trigger's by default). */
	tokenCredential?: string;
	/** Other credentials by type (the Redis trigger's connection, say). */
	credentials?: Record<string, IDataObject>;
}

/** What the node did with one request, as a test can observe it. */
export interface Recorded {
	status?: number;
	headers: Record<string, string>;
	json?: IDataObject;
	logs: string[];
	staticDataReads: number;
}

/** What n8n would have received for a body: its JSON (none for a body JSON cannot write, say one nested too deep). */
function rawBodyOf(body: unknown): { length: number } | undefined {
	try {
		const text = JSON.stringify(body);
		return text === undefined ? undefined : Buffer.from(text);
	} catch {
		return undefined;
	}
}

/**
 * A hand-written IWebhookFunctions: it answers what the trigger asks and records what the
 * trigger does (its HTTP answer, its logs, its use of static data).
 */
export function fakeWebhookContext(request: FakeRequest, node: FakeNode = {}) {
	const recorded: Recorded = { headers: {}, logs: [], staticDataReads: 0 };
	const staticData = node.staticData ?? {};
	const parameters: IDataObject = { events: ['newLead', 'funnelCompleted'], authentication: 'none', options: {}, ...node.parameters };
	const response = {
		status(code: number) {
			recorded.status = code;
			return response;
		},
		setHeader(name: string, value: string) {
			recorded.headers[name.toLowerCase()] = value;
			return response;
		},
		json(body: IDataObject) {
			recorded.json = JSON.parse(JSON.stringify(body));
			return response;
		},
	};
	const log = (level: string) => (message: string) => recorded.logs.push(`${level}: ${message}`);
	const context = {
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getCredentials: async (type: string) => {
			if (node.credentials?.[type]) return node.credentials[type];
			if (type !== (node.tokenCredential ?? 'perspectiveFunnelWebhookApi') || node.secretToken === undefined) throw new Error('no credential');
			return { secretToken: node.secretToken };
		},
		getQueryData: () => request.query ?? {},
		getHeaderData: () => request.headers ?? {},
		getBodyData: () => request.body,
		getMode: () => request.mode ?? 'webhook',
		getWorkflowStaticData: (type: string) => {
			if (type !== 'node') throw new Error(`unexpected static data type ${type}`);
			recorded.staticDataReads++;
			return staticData;
		},
		getNode: () => ({ id: node.nodeId ?? 'node-1', name: 'Perspective Funnel Trigger' }),
		getWorkflow: () => ({ id: node.workflowId ?? 'wf-1' }),
		getResponseObject: () => response,
		getRequestObject: () => ({ rawBody: request.rawBody ?? rawBodyOf(request.body) }),
		helpers: {
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
		},
		logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
	};
	return { context: context as unknown as IWebhookFunctions, recorded, staticData };
}
