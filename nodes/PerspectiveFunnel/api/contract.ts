import { z } from 'zod';

import { isPlainObject } from '../funnel/fields';
import type { EpochMs } from '../funnel/types';

/**
 * What Perspective's REST API answers and accepts, as its two independent public clients
 * describe it (see docs/perspective-api-sources.md for the sources). Only the parts this
 * package relies on are checked; everything else passes through untouched.
 */

export type ApiRecord = Record<string, unknown>;

/** A page of a list: `{ data: [...], meta: { total, page, limit, hasNext } }`. */
export interface ListPage {
	data: ApiRecord[];
	hasNext: boolean;
	/** `meta.total`, when the API gives it: how many records the whole list holds. */
	total?: number;
}

/** Pages are counted from 0; one page holds 1 to 100 records. */
export const PAGE_SIZE_MAX = 100;

/** The fields the contact list can be sorted by; the first is the API's default. */
export const CONTACT_SORT_FIELDS = ['ps_converted_at', 'email', 'firstName', 'lastName'] as const;
export type ContactSortField = (typeof CONTACT_SORT_FIELDS)[number];

/** Contact metadata times, kept under the contact's `meta` object. */
export const CONTACT_TIME_FIELDS = {
	convertedAt: 'ps_converted_at',
	firstSeenAt: 'ps_first_seen_at',
	completedAt: 'ps_completed_at',
	lastSeenAt: 'ps_last_seen_at',
} as const;

export type ContactTimeField = (typeof CONTACT_TIME_FIELDS)[keyof typeof CONTACT_TIME_FIELDS];

/** The nine KPIs `GET …/metrics/kpis/{subtype}` knows. */
export const KPI_SUBTYPES = [
	'kpi_conversion_rate',
	'kpi_completion_rate',
	'kpi_average_time_on_page',
	'kpi_time_to_completion',
	'kpi_new_contacts',
	'kpi_total_sessions',
	'kpi_messages_sent',
	'kpi_messages_delivery_rate',
	'kpi_messages_open_rate',
] as const;

/** The seven charts `GET …/metrics/charts/{subtype}` knows. */
export const CHART_SUBTYPES = [
	'chart_page_to_page_conversion_rate',
	'chart_activity_by_daytime',
	'chart_contacts_over_time',
	'chart_visitor_devices',
	'chart_top_utm_sources',
	'chart_time_on_page',
	'chart_button_clicks',
] as const;

/** The only chart that takes the `abTest` filter, and the values it takes. */
export const AB_TEST_CHART = 'chart_page_to_page_conversion_rate';
export const AB_TEST_VALUES = ['all', 'original', 'variant'] as const;

/** Address parts Update Field takes as flat names (`zip` is an alias of `postalCode`). */
export const ADDRESS_FIELDS = ['street', 'houseNumber', 'postalCode', 'city', 'state', 'country'] as const;

/** Time zone offsets in minutes east of UTC that exist on Earth (UTC-12 to UTC+14). */
export const OFFSET_MINUTES = { min: -720, max: 840 } as const;

const idSchema = z.union([z.string().min(1), z.number().finite()]);
const listedRecord = z
	.record(z.unknown())
	.refine((record) => idSchema.safeParse(record.id).success || idSchema.safeParse(record._id).success, {
		message: 'expected each record to have an "id"',
	});

const listPageSchema = z.object({
	data: z.array(listedRecord, { required_error: 'expected "data" as a list' }),
	meta: z
		.object({
			hasNext: z.boolean({ required_error: 'expected "meta.hasNext" as true or false' }),
			total: z.number().int().nonnegative().optional(),
		})
		.passthrough(),
});

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Checks a list answer; the problem names the first field that is not as documented. */
export function readListPage(body: unknown): Checked<ListPage> {
	const parsed = listPageSchema.safeParse(body);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue.path.length > 0 ? issue.path.join('.') : 'the answer';
		return { ok: false, problem: `unexpected list answer from the Perspective API at ${where}: ${issue.message}` };
	}
	const { data, meta } = parsed.data;
	// An absent total stays undefined: PageWalk reads it as "not announced".
	return { ok: true, value: { data, hasNext: meta.hasNext, total: meta.total } };
}

/** A single answer comes wrapped as `{ data: {...} }`; a bare record is accepted too. */
export function unwrapRecord(body: unknown): ApiRecord | unknown[] | null {
	if (typeof body !== 'object' || body === null) return null;
	const data = (body as ApiRecord).data;
	if (typeof data === 'object' && data !== null) return data as ApiRecord | unknown[];
	return body as ApiRecord;
}

/** The identifier of a record: `id`, or `_id` as document stores name it. */
export function recordId(record: ApiRecord): string | null {
	for (const key of ['id', '_id']) {
		const value = record[key];
		if (typeof value === 'string' && value.length > 0) return value;
		// Number.isFinite is false for anything but a finite number: no typeof needed before it.
		if (Number.isFinite(value)) return String(value);
	}
	return null;
}

/**
 * What a single-record answer that is no record is, for a message that names no value: "a list",
 * "null", "a number". Its callers say an object themselves ("an object without …"), so none
 * reaches here.
 */
function shapeOf(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return `a ${typeof value}`;
}

/**
 * The contact of a Create or Get answer (`{ data: contact }`, or the contact bare): an object
 * with an `id` (or `_id`). Anything else is refused: the sources document the contact, and an
 * item of nulls would pass for a contact downstream.
 */
export function readContactAnswer(body: unknown, operation: string): Checked<ApiRecord> {
	const record = unwrapRecord(body);
	if (isPlainObject(record) && recordId(record) !== null) return { ok: true, value: record };
	const what = isPlainObject(record) ? 'an object without an "id"' : shapeOf(record ?? body);
	return { ok: false, problem: `The Perspective API's answer to ${operation} is not a contact: JSON holding ${what}` };
}

/** The keys of the value record Update Field answers, `{ id, fieldName, value, updatedAt }`. */
const FIELD_VALUE_KEYS = ['id', 'fieldName', 'value', 'updatedAt'];

/**
 * The value record of an Update Field answer (`{ data: record }` or bare): an object with at
 * least one of its documented keys, any others passed on (the sources are silent on them).
 */
export function readFieldValueAnswer(body: unknown): Checked<ApiRecord> {
	const record = unwrapRecord(body);
	if (isPlainObject(record) && FIELD_VALUE_KEYS.some((key) => key in record)) return { ok: true, value: record };
	const what = isPlainObject(record) ? 'an object without id, fieldName, value or updatedAt' : shapeOf(record ?? body);
	return { ok: false, problem: `The Perspective API's answer to Update Field is not a field value: JSON holding ${what}` };
}

/** A time as ISO 8601 text or epoch milliseconds → epoch milliseconds; anything else → null. */
export function readTime(value: unknown): EpochMs | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value !== 'string') return null;
	// Date.parse reads a blank text as NaN like any other text that is no date.
	const parsed = Date.parse(value);
	return Number.isNaN(parsed) ? null : parsed;
}

/** A metadata time of a contact: under `meta` as documented, else at the top level. */
export function contactTime(contact: ApiRecord, field: ContactTimeField): EpochMs | null {
	const inMeta = isPlainObject(contact.meta) ? readTime(contact.meta[field]) : null;
	return inMeta ?? readTime(contact[field]);
}

/**
 * An ID that stays inside its path segment: letters, digits, `_` and `-`, at most 128.
 * Returns what is wrong with it, or null. `.` and `..` would change the endpoint.
 */
export function pathIdProblem(id: string): string | null {
	if (id === '') return 'a value is required';
	if (id.length > 128) return 'longer than 128 characters';
	if (!/^[A-Za-z0-9_-]+$/.test(id)) return 'may hold only letters, digits, "_" and "-"';
	return null;
}

export interface FunnelSummary {
	id: string;
	name: string;
	status: string | null;
	workspaceName: string;
}

/** The funnels of a `GET /v1/workspaces` answer: each workspace's `campaigns`. */
export function funnelsOfWorkspaces(workspaces: ApiRecord[]): FunnelSummary[] {
	const funnels: FunnelSummary[] = [];
	for (const workspace of workspaces) {
		if (!Array.isArray(workspace.campaigns)) continue;
		const workspaceName = typeof workspace.name === 'string' ? workspace.name : (recordId(workspace) ?? '');
		for (const funnel of workspace.campaigns) {
			const id = isPlainObject(funnel) ? recordId(funnel) : null;
			if (id === null) continue;
			const { name, status } = funnel as ApiRecord;
			funnels.push({
				id,
				name: typeof name === 'string' ? name : id,
				status: typeof status === 'string' ? status : null,
				workspaceName,
			});
		}
	}
	return funnels;
}

/** The workspaces of a `GET /v1/workspaces` answer: a list, bare or as `data`. */
export function readWorkspaces(body: unknown): Checked<ApiRecord[]> {
	// unwrapRecord hands a bare list back as it is (a list has no "data").
	const list = unwrapRecord(body);
	if (!Array.isArray(list)) {
		return { ok: false, problem: 'unexpected workspaces answer from the Perspective API: expected "data" as a list' };
	}
	return { ok: true, value: list.filter(isPlainObject) };
}

/** Why Update Field must not send a field name, and how to get unstuck. */
export interface FieldNameProblem {
	problem: string;
	fix: string;
}

/**
 * Why Update Field must not send this field name, or null. `ps_*` names are reserved (the API
 * answers 400); address parts are flat names, so `address.city` would become a custom property.
 */
export function fieldNameProblem(fieldName: string): FieldNameProblem | null {
	if (fieldName === '') {
		return { problem: 'No field name was given', fix: 'Choose the field to update, or enter the name of a custom field' };
	}
	if (/^ps_/i.test(fieldName)) {
		return {
			problem: `"${fieldName}" is Perspective's own metadata (ps_…), which the API does not let anyone set`,
			fix: 'Choose a contact field or a custom field of your own; Perspective sets its ps_ fields itself',
		};
	}
	const address = /^address\.(\w+)$/.exec(fieldName);
	if (address) {
		const part = address[1] === 'zip' ? 'postalCode' : address[1];
		return (ADDRESS_FIELDS as readonly string[]).includes(part)
			? {
					problem: `"${fieldName}" names an address part by its path`,
					fix: `Address parts are set by their own name: use "${part}" instead of "${fieldName}"`,
				}
			: { problem: `"${fieldName}" is not an address part`, fix: `The API knows ${ADDRESS_FIELDS.join(', ')}` };
	}
	return null;
}
