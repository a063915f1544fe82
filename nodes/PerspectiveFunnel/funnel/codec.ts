import { defaultTitle } from './fields';
import { emptyContact, isCompact } from './contact';
import type { Contact, EpochMs, StoredField } from './types';

/**
 * The stored form of contacts, kept small because n8n reads, parses and writes all of it on
 * every request (and n8n 1.x copies it into every saved execution). The whole is one JSON
 * array: first a dictionary of the strings that repeat across contacts (funnel names, field
 * identifiers, titles, result pages), then one array per contact that refers to them by
 * index. Every time but `lastSeenAt` is stored as its distance back from `lastSeenAt`, and a
 * field's title only when it is not the default one.
 *
 *   [[dictionary...], "block"?, contact, contact, ...]
 *   remembered contact: [id, lastSeenAt, flags]
 *   compact contact:    [id, lastSeenAt, created, converted, completed]
 *   full contact:       [id, lastSeenAt, created, converted, completed, funnel#,
 *                        globalId, globalIdAt, [[path#, value, at, title#?], ...], [[result#, at], ...]]
 *
 * `#` marks a dictionary index; `converted` and `completed` are null while not reached. A
 * remembered contact (known from Perspective's webhook bodies alone, contact.ts `remembered`)
 * stores `flags` = 1 when converted + 2 when completed. Most remembered contacts have a
 * Perspective ID (24 lowercase hexadecimal characters, 12 bytes): they are stored instead in
 * one string, the block, 26 characters each with no quotes or commas between them: the ID's
 * 12 bytes in 16 characters of base64url, `lastSeenAt` in 9 base-36 digits, and `flags` as a
 * digit. Each reads back as the same ID: the ID, not a digest of it, since both memories order
 * contacts seen at the same moment by their IDs and Redis names a contact's key by it.
 * Compact and full contacts have had response events. Version 0.1.0 wrote compact and full
 * contacts only (the same format 1): it did not tell webhook bodies from response events, so its
 * contacts read as having had response events and keep what 0.1.0 kept; 0.1.0 counts each
 * remembered contact, and the block, as a record it cannot read.
 */
export const STATE_FORMAT = 1;

type Encoded = unknown[];

/** Append-only, so that an encoded contact stays valid for as long as its dictionary does. */
export class Dictionary {
	private readonly strings: string[] = [];
	private readonly indexes = new Map<string, number>();

	get size(): number {
		return this.strings.length;
	}

	intern(value: string): number {
		let index = this.indexes.get(value);
		if (index === undefined) {
			index = this.strings.push(value) - 1;
			this.indexes.set(value, index);
		}
		return index;
	}

	toJSON(): string[] {
		return this.strings;
	}
}

const back = (lastSeenAt: EpochMs, at: EpochMs) => lastSeenAt - at;
const backOrNull = (lastSeenAt: EpochMs, at: EpochMs | null) => (at === null ? null : lastSeenAt - at);

const CONVERTED = 1;
const COMPLETED = 2;
const PERSPECTIVE_ID = /^[0-9a-f]{24}$/;
/** An entry of the block: a Perspective ID in base64url, the last visit in base 36, the flags. */
// Stryker disable next-line Regex: the block is read in slices of exactly 26 characters, and the pattern is 26 characters long, so it spans the slice anchored or not
const BLOCK_ENTRY = /^([\w-]{16})([0-9a-z]{9})([0-3])$/;
const BLOCK_ENTRY_LENGTH = 26;
/** The last visits the block can hold: up to 36^9 ms after 1970 (the year 5188). */
const BLOCK_TIME_LIMIT = 36 ** 9;

const flagsOf = (contact: Contact) => (contact.convertedAt === null ? 0 : CONVERTED) + (contact.completedAt === null ? 0 : COMPLETED);

function blockEntry(contact: Contact): string | null {
	const last = contact.lastSeenAt;
	if (!PERSPECTIVE_ID.test(contact.id) || !Number.isSafeInteger(last) || last < 0 || last >= BLOCK_TIME_LIMIT) return null;
	return `${Buffer.from(contact.id, 'hex').toString('base64url')}${last.toString(36).padStart(9, '0')}${flagsOf(contact)}`;
}

/**
 * Encodes a contact as `keptOf` leaves it (a remembered contact must be as `remembered` made it,
 * which it reads back as): a JSON array, or an entry of the block, which `joinEncoded` gathers.
 */
export function encodeContact(contact: Contact, dictionary: Dictionary): string {
	const last = contact.lastSeenAt;
	if (!contact.hasResponses) return blockEntry(contact) ?? JSON.stringify([contact.id, last, flagsOf(contact)]);
	const head: Encoded = [
		contact.id,
		last,
		back(last, contact.createdAt),
		backOrNull(last, contact.convertedAt),
		backOrNull(last, contact.completedAt),
	];
	if (isCompact(contact)) return JSON.stringify(head);
	const fields = [...contact.fields.entries()].map(([path, field]) => {
		const entry: Encoded = [dictionary.intern(path), field.value, back(last, field.at)];
		if (field.title !== defaultTitle(path)) entry.push(dictionary.intern(field.title));
		return entry;
	});
	const results = [...contact.results.entries()].map(([name, at]) => [dictionary.intern(name), back(last, at)]);
	return JSON.stringify([
		...head,
		dictionary.intern(contact.funnelName),
		contact.globalId?.value ?? null,
		contact.globalId ? back(last, contact.globalId.at) : 0,
		fields,
		results,
	]);
}

/**
 * Joins the dictionary and the encoded contacts into the one string stored in static data.
 * Built with `+`, which V8 answers with a rope in constant time per part: the one copy
 * happens when n8n serialises static data, instead of once here and once there.
 */
export function joinEncoded(dictionary: Dictionary, encoded: Iterable<string>): string {
	let records = '';
	let block = '';
	for (const part of encoded) {
		// a record is a JSON array; anything else is an entry of the block
		if (part.startsWith('[')) records = `${records},${part}`;
		else block = `${block}${part}`;
	}
	return `[${JSON.stringify(dictionary)}${block ? `,"${block}"` : ''}${records}]`;
}

const isTime = (value: unknown): value is number => Number.isFinite(value);
const isTimeOrNull = (value: unknown): value is number | null => value === null || isTime(value);

/** Reads dictionary references; any reference that does not resolve makes the record unreadable. */
class Lookup {
	constructor(private readonly strings: unknown[]) {}

	string(index: unknown): string | undefined {
		if (typeof index !== 'number') return undefined;
		const value = this.strings[index];
		return typeof value === 'string' ? value : undefined;
	}
}

function decodeFields(raw: unknown, last: EpochMs, lookup: Lookup): Map<string, StoredField> | null {
	if (!Array.isArray(raw)) return null;
	const fields = new Map<string, StoredField>();
	for (const entry of raw) {
		if (!Array.isArray(entry)) return null;
		const path = lookup.string(entry[0]);
		const title = entry.length > 3 ? lookup.string(entry[3]) : path && defaultTitle(path);
		if (path === undefined || title === undefined || typeof entry[1] !== 'string' || !isTime(entry[2])) return null;
		fields.set(path, { value: entry[1], at: last - entry[2], title });
	}
	return fields;
}

function decodeResults(raw: unknown, last: EpochMs, lookup: Lookup): Map<string, EpochMs> | null {
	if (!Array.isArray(raw)) return null;
	const results = new Map<string, EpochMs>();
	for (const entry of raw) {
		const name = Array.isArray(entry) ? lookup.string(entry[0]) : undefined;
		if (name === undefined || !isTime(entry[1])) return null;
		results.set(name, last - entry[1]);
	}
	return results;
}

function rememberedContact(id: string, last: EpochMs, flags: number): Contact {
	return {
		...emptyContact(id),
		createdAt: last,
		lastSeenAt: last,
		convertedAt: flags & CONVERTED ? last : null,
		completedAt: flags & COMPLETED ? last : null,
	};
}

function decodeRemembered([id, last, flags]: unknown[]): Contact | null {
	if (typeof id !== 'string' || !isTime(last) || typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 3) {
		return null;
	}
	return rememberedContact(id, last, flags);
}

/** The block's entries; each that cannot be read (and a rest shorter than an entry) counts once. */
function decodeBlock(block: string): { contacts: Contact[]; unreadable: number } {
	const contacts: Contact[] = [];
	let unreadable = block.length % BLOCK_ENTRY_LENGTH === 0 ? 0 : 1;
	for (let start = 0; start + BLOCK_ENTRY_LENGTH <= block.length; start += BLOCK_ENTRY_LENGTH) {
		const entry = BLOCK_ENTRY.exec(block.slice(start, start + BLOCK_ENTRY_LENGTH));
		if (!entry) {
			unreadable++;
			continue;
		}
		const [, id, last, flags] = entry;
		contacts.push(rememberedContact(Buffer.from(id, 'base64url').toString('hex'), parseInt(last, 36), Number(flags)));
	}
	return { contacts, unreadable };
}

function decodeContact(raw: unknown, lookup: Lookup): Contact | null {
	if (Array.isArray(raw) && raw.length === 3) return decodeRemembered(raw);
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
		hasResponses: true,
	};
	if (raw.length === 5) return contact;
	const [, , , , , funnel, globalId, globalIdAt, rawFields, rawResults] = raw;
	const funnelName = lookup.string(funnel);
	const fields = decodeFields(rawFields, last, lookup);
	const results = decodeResults(rawResults, last, lookup);
	if (funnelName === undefined || !fields || !results || !isTime(globalIdAt)) return null;
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
		// not JSON: raw stays undefined and is counted as one unreadable record below
	}
	if (!Array.isArray(raw) || !Array.isArray(raw[0])) return { contacts: [], unreadable: 1 };
	const lookup = new Lookup(raw[0]);
	const contacts: Contact[] = [];
	let unreadable = 0;
	for (const record of raw.slice(1)) {
		if (typeof record === 'string') {
			const block = decodeBlock(record);
			// one by one: a block may hold more contacts than a call takes arguments
			for (const contact of block.contacts) contacts.push(contact);
			unreadable += block.unreadable;
			continue;
		}
		const contact = decodeContact(record, lookup);
		if (contact) contacts.push(contact);
		else unreadable++;
	}
	return { contacts, unreadable };
}
