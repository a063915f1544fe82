import { defaultTitle } from './fields';
import { isCompact } from './contact';
import type { Contact, EpochMs, StoredField } from './types';

/**
 * The stored form of contacts, kept small because n8n reads, parses and writes all of it on
 * every request. Each contact is one JSON array; every time but `lastSeenAt` is stored as
 * its distance back from `lastSeenAt`, and a field's title only when it is not the default.
 *
 *   compact: [id, lastSeenAt, created, converted, completed]
 *   full:    [id, lastSeenAt, created, converted, completed, funnelName,
 *             globalId, globalIdAt, [[path, value, at, title?], ...], [[result, at], ...]]
 *
 * `converted` and `completed` are null while not reached.
 */
export const STATE_FORMAT = 1;

type Encoded = unknown[];

const back = (lastSeenAt: EpochMs, at: EpochMs) => lastSeenAt - at;
const backOrNull = (lastSeenAt: EpochMs, at: EpochMs | null) => (at === null ? null : lastSeenAt - at);

export function encodeContact(contact: Contact): string {
	const last = contact.lastSeenAt;
	const head: Encoded = [
		contact.id,
		last,
		back(last, contact.createdAt),
		backOrNull(last, contact.convertedAt),
		backOrNull(last, contact.completedAt),
	];
	if (isCompact(contact)) return JSON.stringify(head);
	const fields = [...contact.fields.entries()].map(([path, field]) => {
		const entry: Encoded = [path, field.value, back(last, field.at)];
		if (field.title !== defaultTitle(path)) entry.push(field.title);
		return entry;
	});
	const results = [...contact.results.entries()].map(([name, at]) => [name, back(last, at)]);
	return JSON.stringify([
		...head,
		contact.funnelName,
		contact.globalId?.value ?? null,
		contact.globalId ? back(last, contact.globalId.at) : 0,
		fields,
		results,
	]);
}

/**
 * Joins encoded contacts into the one string stored in static data. Built with `+`, which V8
 * answers with a rope in constant time per part; the one copy happens when n8n serialises
 * static data, instead of once here and once there.
 */
export function joinEncoded(encoded: Iterable<string>): string {
	let joined = '';
	for (const part of encoded) joined = joined ? `${joined},${part}` : part;
	return `[${joined}]`;
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isTimeOrNull = (value: unknown): value is number | null => value === null || isTime(value);

function decodeFields(raw: unknown, last: EpochMs): Map<string, StoredField> | null {
	if (!Array.isArray(raw)) return null;
	const fields = new Map<string, StoredField>();
	for (const entry of raw) {
		if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string' || !isTime(entry[2])) {
			return null;
		}
		const [path, value, at, title] = entry as [string, string, number, unknown];
		fields.set(path, { value, at: last - at, title: typeof title === 'string' ? title : defaultTitle(path) });
	}
	return fields;
}

function decodeResults(raw: unknown, last: EpochMs): Map<string, EpochMs> | null {
	if (!Array.isArray(raw)) return null;
	const results = new Map<string, EpochMs>();
	for (const entry of raw) {
		if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !isTime(entry[1])) return null;
		results.set(entry[0], last - entry[1]);
	}
	return results;
}

/** One stored contact back to its state; null for a record this format cannot read. */
export function decodeContact(raw: unknown): Contact | null {
	if (!Array.isArray(raw) || (raw.length !== 5 && raw.length !== 10)) return null;
	const [id, last, created, converted, completed] = raw;
	if (typeof id !== 'string' || !isTime(last) || !isTime(created) || !isTimeOrNull(converted) || !isTimeOrNull(completed)) {
		return null;
	}
	const contact: Contact = {
		id,
		funnelName: '',
		createdAt: last - created,
		lastSeenAt: last,
		convertedAt: converted === null ? null : last - converted,
		completedAt: completed === null ? null : last - completed,
		globalId: null,
		fields: new Map(),
		results: new Map(),
	};
	if (raw.length === 5) return contact;
	const [, , , , , funnelName, globalId, globalIdAt, rawFields, rawResults] = raw;
	const fields = decodeFields(rawFields, last);
	const results = decodeResults(rawResults, last);
	if (typeof funnelName !== 'string' || !fields || !results || !isTime(globalIdAt)) return null;
	contact.funnelName = funnelName;
	contact.globalId = typeof globalId === 'string' ? { value: globalId, at: last - globalIdAt } : null;
	contact.fields = fields;
	contact.results = results;
	return contact;
}

/** Decodes the stored string; records it cannot read are counted, not thrown. */
export function decodeContacts(stored: string): { contacts: Contact[]; unreadable: number } {
	let raw: unknown;
	try {
		raw = JSON.parse(stored);
	} catch {
		return { contacts: [], unreadable: 1 };
	}
	if (!Array.isArray(raw)) return { contacts: [], unreadable: 1 };
	const contacts: Contact[] = [];
	let unreadable = 0;
	for (const record of raw) {
		const contact = decodeContact(record);
		if (contact) contacts.push(contact);
		else unreadable++;
	}
	return { contacts, unreadable };
}
