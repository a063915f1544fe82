import { z } from 'zod';

import { isPlainObject } from '../funnel/fields';
import type { EpochMs } from '../funnel/types';

/**
 * What Perspective's REST API answers, as its public documentation describes it. Only the parts
 * this package relies on are checked; everything else passes through untouched.
 */

export type ApiRecord = Record<string, unknown>;

/** A page of a list: `{ data: [...], meta: { total, page, limit, hasNext } }`. */
export interface ListPage {
	data: ApiRecord[];
	hasNext: boolean;
}

/** Pages are counted from 0; one page holds 1 to 100 records. */
export const PAGE_SIZE_MAX = 100;

/** Contact metadata the API sorts by. */
export const CONTACT_TIME_FIELDS = {
	firstSeenAt: 'ps_first_seen_at',
	convertedAt: 'ps_converted_at',
	completedAt: 'ps_completed_at',
	lastSeenAt: 'ps_last_seen_at',
} as const;

export type ContactTimeField = (typeof CONTACT_TIME_FIELDS)[keyof typeof CONTACT_TIME_FIELDS];

const listPageSchema = z.object({
	data: z.array(z.record(z.unknown()), { required_error: 'expected "data" as a list' }),
	meta: z
		.object({ hasNext: z.boolean({ required_error: 'expected "meta.hasNext" as true or false' }) })
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
	return { ok: true, value: { data: parsed.data.data, hasNext: parsed.data.meta.hasNext } };
}

/** A single answer may come wrapped as `{ data: {...} }` or bare; both give the record. */
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
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	}
	return null;
}

/** A time as ISO 8601 text or epoch milliseconds → epoch milliseconds; anything else → null. */
export function readTime(value: unknown): EpochMs | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value !== 'string' || value.trim() === '') return null;
	const parsed = Date.parse(value);
	return Number.isNaN(parsed) ? null : parsed;
}

/** A metadata time of a contact, read at the top level or inside its `meta` object. */
export function contactTime(contact: ApiRecord, field: ContactTimeField): EpochMs | null {
	const top = readTime(contact[field]);
	if (top !== null) return top;
	return isPlainObject(contact.meta) ? readTime(contact.meta[field]) : null;
}

export interface FunnelSummary {
	id: string;
	name: string;
	workspaceName: string;
}

/** The funnels of a `GET /v1/workspaces` answer, each with the name of its workspace. */
export function funnelsOfWorkspaces(workspaces: ApiRecord[]): FunnelSummary[] {
	const funnels: FunnelSummary[] = [];
	for (const workspace of workspaces) {
		const workspaceName = typeof workspace.name === 'string' ? workspace.name : (recordId(workspace) ?? '');
		const list = Array.isArray(workspace.funnels) ? workspace.funnels : [];
		for (const funnel of list) {
			const id = isPlainObject(funnel) ? recordId(funnel) : null;
			if (id === null) continue;
			const { name } = funnel as ApiRecord;
			funnels.push({ id, name: typeof name === 'string' ? name : id, workspaceName });
		}
	}
	return funnels;
}

/** The workspaces of a `GET /v1/workspaces` answer: a list, bare or as `data`. */
export function readWorkspaces(body: unknown): Checked<ApiRecord[]> {
	const list = Array.isArray(body) ? body : unwrapRecord(body);
	if (!Array.isArray(list)) {
		return { ok: false, problem: 'unexpected workspaces answer from the Perspective API: expected "data" as a list' };
	}
	return { ok: true, value: list.filter(isPlainObject) };
}
