import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { funnelsOfWorkspaces, pathIdProblem, readListPage, readWorkspaces, type ApiRecord, type Checked, type ListPage } from '../api/contract';
import type { FetchPage } from '../api/paging';
import { interpretResponse } from '../api/response';

export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export const CREDENTIAL_TYPE = 'perspectiveApi';

interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/**
 * One call of the Perspective API with the node's credential. A 429 is waited out as the API's
 * `retryAfter` says (a few times, up to a minute each); any other failure becomes a
 * `NodeApiError` carrying the API's own message and status.
 */
export async function perspectiveApiRequest(
	this: ApiContext,
	method: IHttpRequestMethods,
	path: string,
	options: { qs?: IDataObject; body?: IDataObject; itemIndex?: number } = {},
): Promise<unknown> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseURL = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	for (let attempt = 0; ; attempt++) {
		let response: FullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
				method,
				baseURL,
				url: path,
				qs: options.qs,
				body: options.body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as FullResponse;
		} catch (error) {
			// No answer at all (refused connection, DNS, timeout). n8n core may already have
			// wrapped it in a NodeApiError, which NodeApiError would hand back unchanged: wrap
			// its plain parts instead, so that this message and the item index survive.
			throw new NodeApiError(this.getNode(), causeOf(error), {
				message: `The Perspective API at ${baseURL} could not be reached`,
				description: `Check the credential's Base URL (https://api.perspective.co unless Perspective announced another) and that this n8n can reach the internet, then run the node again. The connection ended with: ${
					error instanceof Error ? error.message : String(error)
				}`,
				itemIndex: options.itemIndex,
			});
		}
		const outcome = interpretResponse(response.statusCode, response.body, response.headers ?? {}, attempt);
		if (outcome.kind === 'ok') return outcome.body;
		if (outcome.kind === 'retry') {
			await sleep(outcome.waitMs);
			continue;
		}
		if (outcome.kind === 'notJson') {
			// what came back by type and length only: the body's text may hold personal data
			throw new NodeApiError(this.getNode(), outcome.received as JsonObject, {
				message: outcome.message,
				description: outcome.description,
				httpCode: String(outcome.status),
				itemIndex: options.itemIndex,
			});
		}
		// a text answer (a proxy's error page, say) by its length only: it may hold personal data
		const errorBody = typeof response.body === 'object' && response.body !== null ? response.body : { characters: String(response.body ?? '').length };
		throw new NodeApiError(this.getNode(), errorBody as JsonObject, {
			message: outcome.message,
			description: outcome.description,
			httpCode: String(outcome.status),
			itemIndex: options.itemIndex,
		});
	}
}

/** The plain facts of a failed request, never a NodeApiError (which would come back as is). */
function causeOf(error: unknown): JsonObject {
	const found = error instanceof Error ? error : new Error(String(error));
	const { code: own, cause } = found as { code?: unknown; cause?: { code?: unknown } };
	const code = own ?? cause?.code;
	return { message: found.message, ...(typeof code === 'string' ? { code } : {}) };
}

/** How to get on when the API answers in a shape its sources do not describe. */
const UNKNOWN_SHAPE =
	"Perspective's API may have changed. Report the message at the package's issue tracker; meanwhile n8n's HTTP Request node can call the API with the same credential.";

/** How to get on when a single record's answer is JSON, but not the record documented. */
const UNEXPECTED_RECORD =
	"Check the credential's Base URL (https://api.perspective.co unless Perspective announced another): another server may answer there. If it is right, Perspective's API may have changed: report the message at the package's issue tracker; meanwhile n8n's HTTP Request node can call the API with the same credential.";

/** An answer checked against the documented contract, or the node error naming what differs. */
function contractValue<T>(context: ApiContext, checked: Checked<T>, itemIndex?: number, description = UNKNOWN_SHAPE): T {
	if (checked.ok) return checked.value;
	throw new NodeApiError(context.getNode(), { error: checked.problem } as JsonObject, {
		message: checked.problem,
		description,
		itemIndex,
	});
}

/** One request whose answer is a single record, checked as `read` says (a contact, a field value). */
export async function perspectiveRecordRequest(
	this: ApiContext,
	method: IHttpRequestMethods,
	path: string,
	read: (body: unknown) => Checked<ApiRecord>,
	options: { body?: IDataObject; itemIndex?: number } = {},
): Promise<ApiRecord> {
	const body = await perspectiveApiRequest.call(this, method, path, options);
	return contractValue(this, read(body), options.itemIndex, UNEXPECTED_RECORD);
}

/** A page fetcher for a list endpoint, for the pure paging and polling code. */
export function listFetcher(
	context: ApiContext,
	path: string,
	qs: IDataObject = {},
	itemIndex?: number,
): FetchPage {
	return async (page: number, limit: number): Promise<ListPage> => {
		const body = await perspectiveApiRequest.call(context, 'GET', path, { qs: { ...qs, page, limit }, itemIndex });
		return contractValue(context, readListPage(body), itemIndex);
	};
}

/**
 * `/v1/funnels/{funnelId}/…`. Every segment must be a plain ID (checked where the parameters
 * are read, with the parameter's name); this is the last guard that none can change the path.
 */
export function funnelPath(funnelId: string, ...rest: string[]): string {
	const segments = [funnelId, ...rest];
	const bad = segments.find((segment) => pathIdProblem(segment) !== null);
	if (bad !== undefined) throw new Error(`Refused to build a request path from the ID "${bad.slice(0, 40)}"`);
	return ['/v1/funnels', ...segments.map(encodeURIComponent)].join('/');
}

/** Every workspace the key can see, each with its funnels. */
export async function fetchWorkspaces(context: ApiContext, itemIndex?: number): Promise<ApiRecord[]> {
	const body = await perspectiveApiRequest.call(context, 'GET', '/v1/workspaces', { itemIndex });
	return contractValue(context, readWorkspaces(body), itemIndex);
}

/**
 * The funnel's name as its workspace lists it; '' when the key cannot see it, also when the key
 * may not list workspaces at all (403: a key limited to the CRM still polls).
 */
export async function funnelName(context: ApiContext, funnelId: string): Promise<string> {
	let workspaces;
	try {
		workspaces = await fetchWorkspaces(context);
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '403') return '';
		// NodeApiError hands an error that is one already back unchanged, its description included.
		throw new NodeApiError(context.getNode(), error as JsonObject, {
			description: "Reading the funnel's name from the workspaces did not work. Run the poll again; if it repeats, check the credential.",
		});
	}
	return funnelsOfWorkspaces(workspaces).find((candidate) => candidate.id === funnelId)?.name ?? '';
}
