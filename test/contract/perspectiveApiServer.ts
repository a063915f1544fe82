/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * A local HTTP server that follows the Perspective REST API contract as its public documentation
 * describes it (the real API cannot be reached from here): key header, paging envelope, sorting
 * by contact metadata, 401, 404, 400 with the documented error body, and a rate limit of
 * 100 requests per minute answered by 429 with `retryAfter`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

export type ApiContact = Record<string, unknown> & { id: string };

export interface FunnelData {
	id: string;
	name: string;
	contacts: ApiContact[];
}

export interface WorkspaceData {
	id: string;
	name: string;
	funnels: FunnelData[];
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: unknown;
	status: number;
}

interface Answer {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

const SORTABLE = new Set(['ps_first_seen_at', 'ps_converted_at', 'ps_completed_at', 'ps_last_seen_at']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const fail = (status: number, error: string, extra: Record<string, unknown> = {}): Answer => ({
	status,
	body: { error, status, ...extra },
});

/** Sorts like a document store: missing values are the smallest, ties keep insertion order. */
function sortContacts(contacts: ApiContact[], field: string, order: 1 | -1): ApiContact[] {
	const key = (contact: ApiContact) => {
		const value = contact[field];
		return typeof value === 'string' ? Date.parse(value) : -Infinity;
	};
	return contacts
		.map((contact, index) => ({ contact, index, at: key(contact) }))
		.sort((a, b) => (a.at === b.at ? a.index - b.index : a.at < b.at ? -order : order))
		.map((entry) => entry.contact);
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
	const segments = path.split('.');
	let node = target;
	for (const segment of segments.slice(0, -1)) {
		if (typeof node[segment] !== 'object' || node[segment] === null) node[segment] = {};
		node = node[segment] as Record<string, unknown>;
	}
	node[segments[segments.length - 1]] = value;
}

export class PerspectiveApiModel {
	readonly workspaces: WorkspaceData[] = [];
	readonly requests: RecordedRequest[] = [];
	/** Answers queued ahead of the contract, e.g. a 429 for the next request. */
	private readonly forced: Answer[] = [];
	private readonly recent: number[] = [];
	private nextId = 1;

	constructor(
		readonly apiKey: string,
		readonly rateLimit = { requests: 100, windowMs: 60_000 },
		private readonly now: () => number = Date.now,
	) {}

	addFunnel(workspace: { id: string; name: string }, funnel: { id: string; name: string }): FunnelData {
		let target = this.workspaces.find((candidate) => candidate.id === workspace.id);
		if (!target) {
			target = { ...workspace, funnels: [] };
			this.workspaces.push(target);
		}
		const created: FunnelData = { ...funnel, contacts: [] };
		target.funnels.push(created);
		return created;
	}

	funnel(id: string): FunnelData | undefined {
		return this.workspaces.flatMap((workspace) => workspace.funnels).find((funnel) => funnel.id === id);
	}

	/** The next `count` requests get this answer instead of the contract's. */
	force(count: number, status: number, body: unknown): void {
		for (let index = 0; index < count; index++) this.forced.push({ status, body });
	}

	private limited(): Answer | null {
		const at = this.now();
		while (this.recent.length > 0 && this.recent[0] <= at - this.rateLimit.windowMs) this.recent.shift();
		if (this.recent.length >= this.rateLimit.requests) {
			const retryAfter = Math.max(1, Math.ceil((this.recent[0] + this.rateLimit.windowMs - at) / 1000));
			return fail(429, 'Too many requests', { retryAfter });
		}
		this.recent.push(at);
		return null;
	}

	handle(method: string, path: string, query: Record<string, string>, headers: Record<string, string | undefined>, body: unknown): Answer {
		const answer = this.answer(method, path, query, headers, body);
		this.requests.push({ method, path, query, body, status: answer.status });
		return answer;
	}

	private answer(method: string, path: string, query: Record<string, string>, headers: Record<string, string | undefined>, body: unknown): Answer {
		if (headers['x-perspective-api-key'] !== this.apiKey) return fail(401, 'Invalid or missing API key');
		const forced = this.forced.shift();
		if (forced) return forced;
		const limited = this.limited();
		if (limited) return limited;

		const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
		if (segments[0] !== 'v1') return fail(404, 'Not found');
		if (method === 'GET' && segments.length === 2 && segments[1] === 'workspaces') {
			return {
				status: 200,
				body: {
					data: this.workspaces.map((workspace) => ({
						id: workspace.id,
						name: workspace.name,
						funnels: workspace.funnels.map((funnel) => ({ id: funnel.id, name: funnel.name })),
					})),
				},
			};
		}
		if (segments[1] !== 'funnels' || segments.length < 4) return fail(404, 'Not found');
		const funnel = this.funnel(segments[2]);
		if (!funnel) return fail(404, 'Funnel not found');
		const [, , , area, second, third, fourth] = segments;

		if (area === 'contacts') {
			if (second === undefined && method === 'GET') return this.listContacts(funnel, query);
			if (second === undefined && method === 'POST') return this.createContact(funnel, body);
			const contact = funnel.contacts.find((candidate) => candidate.id === second);
			if (!contact) return fail(404, 'Contact not found');
			if (third === undefined && method === 'GET') return { status: 200, body: { data: contact } };
			if (third === 'values' && fourth === undefined && method === 'PUT') return this.setValue(contact, body);
			return fail(404, 'Not found');
		}
		if (area === 'metrics' && method === 'GET' && third !== undefined && fourth === undefined) {
			if (!['kpis', 'charts', 'insights'].includes(second)) return fail(404, 'Not found');
			for (const name of ['from', 'to']) {
				if (!ISO.test(query[name] ?? '')) return fail(400, `"${name}" must be an ISO 8601 date`);
			}
			const inPeriod = funnel.contacts.filter((contact) => {
				const at = Date.parse(String(contact.ps_first_seen_at));
				return at >= Date.parse(query.from) && at <= Date.parse(query.to);
			});
			const period = { from: query.from, to: query.to, timezoneOffset: query.timezoneOffset ?? null };
			if (second === 'kpis') return { status: 200, body: { data: { kpi: third, value: inPeriod.length, ...period } } };
			if (second === 'charts') {
				return { status: 200, body: { data: { chart: third, series: [{ label: third, points: [inPeriod.length] }], ...period } } };
			}
			return { status: 200, body: { data: { insightId: third, text: `${inPeriod.length} visitors`, ...period } } };
		}
		return fail(404, 'Not found');
	}

	private listContacts(funnel: FunnelData, query: Record<string, string>): Answer {
		const page = Number(query.page ?? '0');
		const limit = Number(query.limit ?? '20');
		if (!Number.isInteger(page) || page < 0) return fail(400, '"page" must be an integer from 0');
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) return fail(400, '"limit" must be an integer from 1 to 100');
		const sortField = query.sortField ?? 'ps_first_seen_at';
		if (!SORTABLE.has(sortField)) return fail(400, `"sortField" cannot be ${sortField}`);
		const sortOrder = Number(query.sortOrder ?? '-1');
		if (sortOrder !== 1 && sortOrder !== -1) return fail(400, '"sortOrder" must be 1 or -1');
		const sorted = sortContacts(funnel.contacts, sortField, sortOrder);
		const data = sorted.slice(page * limit, page * limit + limit);
		return {
			status: 200,
			body: { data, meta: { total: sorted.length, page, limit, hasNext: (page + 1) * limit < sorted.length } },
		};
	}

	private createContact(funnel: FunnelData, body: unknown): Answer {
		const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
		if (typeof input.email !== 'string' && typeof input.phone !== 'string') return fail(400, 'email or phone is required');
		const at = new Date(this.now()).toISOString();
		const contact: ApiContact = {
			...input,
			id: `api_${this.nextId++}`,
			ps_first_seen_at: at,
			ps_converted_at: at,
			ps_completed_at: null,
		};
		delete contact.skipAutomationTrigger;
		funnel.contacts.push(contact);
		return { status: 201, body: { data: contact } };
	}

	private setValue(contact: ApiContact, body: unknown): Answer {
		const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
		if (typeof input.field !== 'string' || input.field === '') return fail(400, '"field" is required');
		if (typeof input.value !== 'string') return fail(400, '"value" must be a string');
		setPath(contact, input.field, input.value);
		return { status: 200, body: { data: contact } };
	}
}

function readBody(request: IncomingMessage): Promise<unknown> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			if (text === '') return resolve(undefined);
			try {
				resolve(JSON.parse(text));
			} catch {
				resolve(text);
			}
		});
	});
}

/** Serves a model on 127.0.0.1; port 0 picks a free one. */
export async function startPerspectiveApi(model: PerspectiveApiModel, port = 0): Promise<{ url: string; close: () => Promise<void> }> {
	const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
		void readBody(request).then((body) => {
			const url = new URL(request.url ?? '/', 'http://127.0.0.1');
			const headers = Object.fromEntries(
				Object.entries(request.headers).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
			);
			const answer = model.handle(request.method ?? 'GET', url.pathname, Object.fromEntries(url.searchParams), headers, body);
			response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
			response.end(JSON.stringify(answer.body));
		});
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const { port: bound } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${bound}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** A converted (or only visiting) contact with realistic answers. */
export function apiContact(id: string, firstSeenAt: number, convertedAt: number | null, extra: Record<string, unknown> = {}): ApiContact {
	return {
		id,
		firstName: `Name ${id}`,
		...(convertedAt !== null ? { email: `${id}@example.com` } : {}),
		address: { city: 'Berlin' },
		roofType: ['Flat', 'Gable'],
		ps_first_seen_at: new Date(firstSeenAt).toISOString(),
		ps_converted_at: convertedAt === null ? null : new Date(convertedAt).toISOString(),
		ps_completed_at: null,
		...extra,
	};
}

/** Adds `count` leads `<prefix><index>`, converted at `convertedAt(index)` and first seen before. */
export function addLeads(
	funnel: FunnelData,
	prefix: string,
	count: number,
	convertedAt: (index: number) => number,
	firstSeenBeforeMs = 60_000,
): void {
	for (let index = 0; index < count; index++) {
		const at = convertedAt(index);
		funnel.contacts.push(apiContact(`${prefix}${index}`, at - firstSeenBeforeMs, at));
	}
}
