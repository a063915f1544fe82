/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * A local HTTP server that behaves as Perspective's REST API is described by its public sources
 * (the real API cannot be reached from here). Each shape and each refusal names its source:
 *
 * - [w6w:FILE] the Perspective app of github.com/segevsh/w6w-apps, folder apps/perspective, whose
 *   README says it was checked on 2026-10-06 against developers.perspective.co (source in
 *   Perspective-Software/developer-docs) and live probes of the API host;
 * - [tim:FILE] the community package n8n-nodes-perspective, github.com/timdev-ger/n8n-perspective-node;
 * - [help] Perspective's help article 12381478 "What can I do with the API App in Perspective?".
 *
 * Where the sources are silent the server picks the strict reading and says so ("silent").
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

export type ApiContact = Record<string, unknown> & { id: string; meta: Record<string, unknown> };

export interface FunnelData {
	id: string;
	name: string;
	status: string;
	contacts: ApiContact[];
	/** Insight answers by element ID (`question_1234`). */
	insights: Record<string, { title: string; answers: Record<string, number> }>;
}

export interface WorkspaceData {
	id: string;
	name: string;
	funnels: FunnelData[];
}

/** What a key may do; the full key may do everything. Scope names are ours (silent). */
export type Scope = 'workspaces' | 'crm' | 'metrics';

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

// [w6w:lib/params.ts] contactSortFieldOptions; [tim:resources/contact/getAll.ts] the same four.
const SORT_FIELDS = new Set(['ps_converted_at', 'email', 'firstName', 'lastName']);
// [w6w:lib/params.ts] kpiSubtypeOptions (9); [tim:resources/metric/getKpi.ts] the same nine.
export const KPIS = new Set([
	'kpi_conversion_rate',
	'kpi_completion_rate',
	'kpi_average_time_on_page',
	'kpi_time_to_completion',
	'kpi_new_contacts',
	'kpi_total_sessions',
	'kpi_messages_sent',
	'kpi_messages_delivery_rate',
	'kpi_messages_open_rate',
]);
// [w6w:lib/params.ts] chartSubtypeOptions (7); [tim:resources/metric/getChart.ts] the same seven.
export const CHARTS = new Set([
	'chart_page_to_page_conversion_rate',
	'chart_activity_by_daytime',
	'chart_contacts_over_time',
	'chart_visitor_devices',
	'chart_top_utm_sources',
	'chart_time_on_page',
	'chart_button_clicks',
]);
// [w6w:actions/contact-update-value.ts] the standard fields; address parts flat, zip an alias.
const STANDARD_FIELDS = new Set(['firstName', 'lastName', 'email', 'phone', 'status', 'website', 'birthday']);
const ADDRESS_FIELDS = new Set(['street', 'houseNumber', 'postalCode', 'city', 'state', 'country']);
// [w6w:actions/contact-create.ts] the create body; meta, utmParams, properties are read-only there.
const CREATE_FIELDS = new Set([...STANDARD_FIELDS, 'address', 'skipAutomationTrigger']);
const READ_ONLY_ON_CREATE = new Set(['meta', 'utmParams', 'properties']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

// [w6w:lib/client.ts] "Every failure is {"error": "<message>", "status": <n>}".
const fail = (status: number, error: string, extra: Record<string, unknown> = {}): Answer => ({
	status,
	body: { error, status, ...extra },
});

/**
 * Sorts by a field, with `ps_*` times read under `meta` ([w6w:README.md] deprecated `timezone`
 * → `meta.ps_timezone`; [tim:PerspectivePollingTrigger.node.ts] reads `meta.ps_converted_at`).
 * Missing values are the smallest, as in a document store (silent); ties keep insertion order.
 */
function sortContacts(contacts: ApiContact[], field: string, order: 1 | -1): ApiContact[] {
	const key = (contact: ApiContact): number | string => {
		if (field.startsWith('ps_')) {
			const value = contact.meta[field];
			return typeof value === 'string' ? Date.parse(value) : -Infinity;
		}
		const value = contact[field];
		return typeof value === 'string' ? value.toLowerCase() : '';
	};
	return contacts
		.map((contact, index) => ({ contact, index, at: key(contact) }))
		.sort((a, b) => (a.at === b.at ? a.index - b.index : a.at < b.at ? -order : order))
		.map((entry) => entry.contact);
}

export class PerspectiveApiModel {
	readonly workspaces: WorkspaceData[] = [];
	readonly requests: RecordedRequest[] = [];
	/** Keys other than the full one, with what each may do. */
	readonly scopedKeys = new Map<string, Set<Scope>>();
	/** A hostile server: answers page 0 for every page, always with `hasNext: true`. */
	misbehave: { ignorePage?: boolean; dropIds?: boolean } = {};
	/** Answers queued ahead of the contract, e.g. a 429 for the next request. */
	private readonly forced: Answer[] = [];
	private readonly recent: number[] = [];
	private nextId = 1;

	constructor(
		readonly apiKey: string,
		// [w6w:lib/client.ts] "The rate limit is 100 requests per minute".
		readonly rateLimit = { requests: 100, windowMs: 60_000 },
		private readonly now: () => number = Date.now,
	) {}

	addFunnel(workspace: { id: string; name: string }, funnel: { id: string; name: string; status?: string }): FunnelData {
		let target = this.workspaces.find((candidate) => candidate.id === workspace.id);
		if (!target) {
			target = { ...workspace, funnels: [] };
			this.workspaces.push(target);
		}
		const created: FunnelData = { status: 'online', ...funnel, contacts: [], insights: {} };
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
			// [w6w:lib/client.ts] "a 429 also carries retryAfter (seconds)".
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

	/** [w6w:auth/api-key.ts] the key in `x-perspective-api-key`; the two 401 texts observed live. */
	private scopesOf(key: string | undefined): Set<Scope> | Answer {
		if (key === undefined || key === '') return fail(401, 'API key is required');
		if (key === this.apiKey) return new Set<Scope>(['workspaces', 'crm', 'metrics']);
		return this.scopedKeys.get(key) ?? fail(401, 'Invalid or unauthorized API key');
	}

	private answer(method: string, path: string, query: Record<string, string>, headers: Record<string, string | undefined>, body: unknown): Answer {
		const scopes = this.scopesOf(headers['x-perspective-api-key']);
		if (!(scopes instanceof Set)) return scopes;
		const forced = this.forced.shift();
		if (forced) return forced;
		const limited = this.limited();
		if (limited) return limited;

		const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
		if (segments[0] !== 'v1') return fail(404, 'Not found');
		if (method === 'GET' && segments.length === 2 && segments[1] === 'workspaces') {
			// [w6w:auth/api-key.ts] "A 403 means the key authenticated but lacks the workspaces permission".
			if (!scopes.has('workspaces')) return fail(403, 'API key lacks the workspaces permission');
			// [w6w:tests/actions/workspace-list.test.ts] `campaigns: [{ id, name, status }]`, in `{ data }`.
			return {
				status: 200,
				body: {
					data: this.workspaces.map((workspace) => ({
						id: workspace.id,
						name: workspace.name,
						campaigns: workspace.funnels.map((funnel) => ({ id: funnel.id, name: funnel.name, status: funnel.status })),
					})),
				},
			};
		}
		if (segments[1] !== 'funnels' || segments.length < 4) return fail(404, 'Not found');
		const [, , funnelId, area, second, third, fourth] = segments;

		if (area === 'contacts') {
			// [w6w:tests/actions/contact-list.test.ts] a key without CRM access: 403 "no crm:read".
			if (!scopes.has('crm')) return fail(403, 'no crm:read');
			const funnel = this.funnel(funnelId);
			if (!funnel) return fail(404, 'Funnel not found');
			if (second === undefined && method === 'GET') return this.listContacts(funnel, query);
			if (second === undefined && method === 'POST') return this.createContact(funnel, body);
			const contact = funnel.contacts.find((candidate) => candidate.id === second);
			if (!contact) return fail(404, 'Contact not found');
			if (third === undefined && method === 'GET') return { status: 200, body: { data: contact } };
			if (third === 'values' && fourth === undefined && method === 'PUT') return this.setValue(contact, body);
			return fail(404, 'Not found');
		}
		if (area === 'metrics' && method === 'GET' && third !== undefined && fourth === undefined) {
			if (!scopes.has('metrics')) return fail(403, 'no metrics:read');
			const funnel = this.funnel(funnelId);
			if (!funnel) return fail(404, 'Funnel not found');
			return this.metric(funnel, second, third, query);
		}
		return fail(404, 'Not found');
	}

	private listContacts(funnel: FunnelData, query: Record<string, string>): Answer {
		// [w6w:lib/client.ts] pages are 0-based, `limit` 1–100, default 50.
		const page = this.misbehave.ignorePage ? 0 : Number(query.page ?? '0');
		const limit = Number(query.limit ?? '50');
		if (!Number.isInteger(page) || page < 0) return fail(400, '"page" must be an integer from 0');
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) return fail(400, '"limit" must be an integer from 1 to 100');
		// [w6w:lib/params.ts] the default sort is ps_converted_at; anything else is refused (silent: strict).
		const sortField = query.sortField ?? 'ps_converted_at';
		if (!SORT_FIELDS.has(sortField)) return fail(400, `Invalid sortField: ${sortField}`);
		const sortOrder = Number(query.sortOrder ?? '-1');
		// [w6w:actions/contact-list.ts] "sortOrder must be -1 or 1".
		if (sortOrder !== 1 && sortOrder !== -1) return fail(400, 'sortOrder must be -1 or 1');
		const sorted = sortContacts(funnel.contacts, sortField, sortOrder);
		let data: Array<Record<string, unknown>> = sorted.slice(page * limit, page * limit + limit);
		if (this.misbehave.dropIds) data = data.map((record) => without(record, 'id'));
		const hasNext = this.misbehave.ignorePage ? true : (page + 1) * limit < sorted.length;
		const total = this.misbehave.ignorePage ? 1_000_000 : sorted.length;
		// [w6w:lib/client.ts] `{ data, meta: { total, page, limit, hasNext } }`.
		return { status: 200, body: { data, meta: { total, page, limit, hasNext } } };
	}

	private createContact(funnel: FunnelData, body: unknown): Answer {
		const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
		// [w6w:README.md] "`meta`, `utmParams` and `properties` cannot be set on create" (refused: strict).
		for (const key of Object.keys(input)) {
			if (READ_ONLY_ON_CREATE.has(key)) return fail(400, `${key} cannot be set when creating a contact`);
			if (!CREATE_FIELDS.has(key)) return fail(400, `Unknown field: ${key}`);
		}
		// [w6w:actions/contact-create.ts] "Either `email` or `phone` is required".
		if (typeof input.email !== 'string' && typeof input.phone !== 'string') return fail(400, 'Either email or phone is required');
		if (input.address !== undefined) {
			const address = input.address as Record<string, unknown>;
			if (typeof address !== 'object' || address === null || Object.keys(address).some((key) => !ADDRESS_FIELDS.has(key))) {
				return fail(400, 'Invalid address');
			}
		}
		const fields = without(input, 'skipAutomationTrigger');
		const contact: ApiContact = {
			...fields,
			id: `cnt_${this.nextId++}`,
			utmParams: {},
			properties: {},
			// [w6w:README.md] the contact's times and time zone live under `meta` (`meta.ps_timezone`).
			meta: { ps_converted_at: new Date(this.now()).toISOString(), ps_timezone: 'Europe/Berlin' },
		};
		funnel.contacts.push(contact);
		// [w6w:actions/contact-create.ts] "create a contact (answers 201)", in `{ data }`.
		return { status: 201, body: { data: contact } };
	}

	private setValue(contact: ApiContact, body: unknown): Answer {
		const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
		// [w6w:actions/contact-update-value.ts] `{ fieldName, value, skipAutomationTrigger? }`.
		const { fieldName, value } = input;
		if (typeof fieldName !== 'string' || fieldName === '') return fail(400, 'fieldName is required');
		// [w6w:README.md] "`ps_*` metadata is reserved (400)"; [w6w:tests/…/contact-update-value.test.ts] "reserved field".
		if (fieldName.startsWith('ps_')) return fail(400, `reserved field: ${fieldName}`);
		// [w6w:README.md] "`value` in Update Contact Value is always a string".
		if (typeof value !== 'string') return fail(400, 'value must be a string');
		if (STANDARD_FIELDS.has(fieldName)) contact[fieldName] = value;
		else if (ADDRESS_FIELDS.has(fieldName) || fieldName === 'zip') {
			const address = (contact.address ?? {}) as Record<string, unknown>;
			address[fieldName === 'zip' ? 'postalCode' : fieldName] = value;
			contact.address = address;
		} else {
			// [w6w:README.md] "non-standard names become custom properties".
			contact.properties = { ...(contact.properties as Record<string, unknown> | undefined), [fieldName]: value };
		}
		// [w6w:tests/actions/contact-update-value.test.ts] the answer is the value record.
		const record = { id: `val_${this.nextId++}`, fieldName, value, updatedAt: new Date(this.now()).toISOString() };
		return { status: 200, body: { data: record } };
	}

	private metric(funnel: FunnelData, kind: string, name: string, query: Record<string, string>): Answer {
		for (const key of ['from', 'to']) {
			if (!ISO.test(query[key] ?? '')) return fail(400, `${key} must be an ISO 8601 date-time`);
		}
		const from = Date.parse(query.from);
		const to = Date.parse(query.to);
		// [w6w:actions/kpi-get.ts] "from must be before to" (the client refuses it; the API too: strict).
		if (from >= to) return fail(400, 'from must be before to');
		// [w6w:lib/params.ts] `offset`: minutes from UTC, e.g. -120 for UTC-2; [tim:resources/metric/index.ts] 120 for CEST.
		if (query.offset !== undefined && !/^[+-]?\d{1,4}$/.test(query.offset)) return fail(400, 'offset must be minutes from UTC');
		const inPeriod = funnel.contacts.filter((contact) => {
			const at = Date.parse(String(contact.meta.ps_converted_at));
			return at >= from && at < to;
		});
		if (kind === 'kpis') {
			// [w6w:tests/actions/kpi-get.test.ts] an unknown KPI: 400 "KPI not found"; answer `{ type, value, count? }`.
			if (!KPIS.has(name)) return fail(400, 'KPI not found');
			if (query.abTest !== undefined) return fail(400, 'abTest is not supported for KPIs');
			return { status: 200, body: { data: { type: name, value: inPeriod.length } } };
		}
		if (kind === 'charts') {
			if (!CHARTS.has(name)) return fail(400, 'Chart not found');
			// [w6w:README.md] "`abTest` is a 400 on every chart except chart_page_to_page_conversion_rate".
			if (query.abTest !== undefined) {
				if (name !== 'chart_page_to_page_conversion_rate') return fail(400, `abTest is not supported for ${name}`);
				if (!['all', 'original', 'variant'].includes(query.abTest)) return fail(400, 'abTest must be all, original or variant');
			}
			// [w6w:tests/actions/chart-get.test.ts] the answer is a list of points.
			return { status: 200, body: { data: [{ key: 'contacts', value: inPeriod.length }] } };
		}
		if (kind === 'insights') {
			// [w6w:tests/actions/insight-get.test.ts] unknown: 400 "Insight not found"; `{ title, answers, groupedAnswers }`.
			const insight = funnel.insights[name];
			if (!insight) return fail(400, 'Insight not found');
			return { status: 200, body: { data: { ...insight, groupedAnswers: {} } } };
		}
		return fail(404, 'Not found');
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

/** A contact that converted at `convertedAt` (or has not converted: null), with realistic answers. */
export function apiContact(id: string, convertedAt: number | null, extra: Record<string, unknown> = {}): ApiContact {
	return {
		id,
		firstName: `Name ${id}`,
		...(convertedAt !== null ? { email: `${id}@example.com` } : {}),
		status: 'lead',
		address: { city: 'Berlin' },
		utmParams: {},
		properties: { roofType: 'Flat;Gable' },
		meta: { ps_converted_at: convertedAt === null ? null : new Date(convertedAt).toISOString(), ps_timezone: 'Europe/Berlin' },
		...extra,
	};
}

/** Adds `count` leads `<prefix><index>`, converted at `convertedAt(index)`. */
export function addLeads(funnel: FunnelData, prefix: string, count: number, convertedAt: (index: number) => number): void {
	for (let index = 0; index < count; index++) funnel.contacts.push(apiContact(`${prefix}${index}`, convertedAt(index)));
}

/** A copy of a record without one key. */
function without(record: Record<string, unknown>, key: string): Record<string, unknown> {
	const copy = { ...record };
	delete copy[key];
	return copy;
}
