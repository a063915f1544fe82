import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, IPollFunctions } from 'n8n-workflow';

import { PerspectiveApi } from '../../credentials/PerspectiveApi.credentials';

/** A parameter value, or a function of the item index (what an expression would give). */
export type ParameterValue = unknown | ((itemIndex: number) => unknown);

export interface FakeApiNode {
	credentials: { apiKey: string; baseUrl: string };
	parameters: Record<string, ParameterValue>;
	/** How many input items the node receives. */
	items?: number;
	continueOnFail?: boolean;
	mode?: 'trigger' | 'manual';
	/** Shared between polls, as n8n keeps it for an active workflow. */
	staticData?: IDataObject;
	workflowId?: string;
	/** The node's version; 1 unless given. */
	typeVersion?: number;
}

export interface RecordedHttp {
	method: string;
	url: string;
	status: number;
}

function resolve(value: ParameterValue, itemIndex: number, extractValue: boolean): unknown {
	const plain = typeof value === 'function' ? (value as (index: number) => unknown)(itemIndex) : value;
	if (extractValue && typeof plain === 'object' && plain !== null && '__rl' in plain) return (plain as unknown as { value: unknown }).value;
	return plain;
}

/**
 * The credential's header, resolved as n8n resolves `={{$credentials.apiKey}}`: the test reads
 * the real credential class, so a change of header name there shows up here.
 */
function authenticationHeaders(apiKey: string): Record<string, string> {
	const headers = new PerspectiveApi().authenticate.properties.headers ?? {};
	return Object.fromEntries(
		Object.entries(headers).map(([name, template]) => [name, String(template).replace('={{$credentials.apiKey}}', apiKey)]),
	);
}

/**
 * A hand-written n8n context for the REST API nodes. Requests really go over HTTP (to the
 * contract server of the test) the way `httpRequestWithAuthentication` sends them: base URL,
 * query, JSON body, the credential's header, the full response when asked.
 */
export function fakeApiContext(node: FakeApiNode, kind: 'execute' | 'poll') {
	const http: RecordedHttp[] = [];
	const staticData = node.staticData ?? {};
	const parameter = (name: string, itemIndex: number, fallback: unknown, options?: { extractValue?: boolean }) =>
		name in node.parameters ? resolve(node.parameters[name], itemIndex, options?.extractValue === true) : fallback;

	const httpRequestWithAuthentication = async (credentialType: string, options: IHttpRequestOptions) => {
		if (credentialType !== 'perspectiveApi') throw new Error(`unexpected credential ${credentialType}`);
		const url = new URL(`${options.baseURL ?? ''}${options.url}`);
		for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.set(key, String(value));
		const response = await fetch(url, {
			method: options.method ?? 'GET',
			headers: { ...authenticationHeaders(node.credentials.apiKey), ...(options.body ? { 'content-type': 'application/json' } : {}) },
			body: options.body ? JSON.stringify(options.body) : undefined,
		});
		const text = await response.text();
		// as n8n's httpRequest (axios with its defaults; `json: true` only asks for JSON with an Accept
		// header): text that parses as JSON is parsed whatever its content type, any other text is
		// handed over as it came, an empty body as ''
		let body: unknown = text;
		try {
			if (text !== '') body = JSON.parse(text);
		} catch {
			// not JSON: the text itself
		}
		http.push({ method: options.method ?? 'GET', url: `${url.pathname}${url.search}`, status: response.status });
		if (!response.ok && !options.ignoreHttpStatusErrors) throw new Error(`HTTP ${response.status}`);
		return options.returnFullResponse
			? { statusCode: response.status, headers: Object.fromEntries(response.headers), body }
			: body;
	};

	const common = {
		getNode: () => ({ id: 'node-1', name: 'Perspective Funnel', type: 'n8n-nodes-perspective-funnel.perspectiveFunnel', typeVersion: node.typeVersion ?? 1, parameters: {} }),
		getWorkflow: () => ({ id: node.workflowId ?? 'wf-1', active: true }),
		getCredentials: async (type: string) => {
			if (type !== 'perspectiveApi') throw new Error(`unexpected credential ${type}`);
			return node.credentials;
		},
		helpers: {
			httpRequestWithAuthentication,
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
		},
	};
	const execute = {
		...common,
		getInputData: () => Array.from({ length: node.items ?? 1 }, (_, index) => ({ json: { index } })),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown, options?: { extractValue?: boolean }) =>
			parameter(name, itemIndex, fallback, options),
		continueOnFail: () => node.continueOnFail === true,
	};
	const poll = {
		...common,
		getMode: () => node.mode ?? 'trigger',
		getWorkflowStaticData: (type: string) => {
			if (type !== 'node') throw new Error(`unexpected static data type ${type}`);
			return staticData;
		},
		getNodeParameter: (name: string, fallback?: unknown, options?: { extractValue?: boolean }) => parameter(name, 0, fallback, options),
	};
	return {
		context: (kind === 'execute' ? execute : poll) as unknown as IExecuteFunctions & IPollFunctions,
		http,
		staticData,
	};
}
