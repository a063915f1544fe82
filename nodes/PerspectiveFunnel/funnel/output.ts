import { isReservedKey, segmentsOf } from './fields';
import type { ContactView, Emission, EpochMs } from './types';

export type OutputFormat = 'webhook' | 'simplified';

/** A JSON object as n8n items carry them. */
export type JsonObject = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonObject | JsonValue[];

/** The latest moment a Date can hold: past it toISOString would throw. */
const LAST_DATE = 8.64e15;

/** ISO 8601 text of a moment; null for none, and for a moment no Date can hold (so formatting never throws). */
const iso = (at: EpochMs | null): string | null => (at === null || !(Math.abs(at) <= LAST_DATE) ? null : new Date(at).toISOString());

/**
 * Builds plain nested objects from dotted paths, as Perspective builds its profile, but
 * never an array and never a key that shadows Object.prototype: every level is an object
 * literal, so `x.100000000` is one key, and an item is never larger than its fields. A field
 * whose path runs through another field, or a field with children (only possible in state
 * stored by an older version: requests with such a pair are refused), is left out instead
 * of overwriting it; the same path twice keeps the later value.
 */
function nest(contact: ContactView, leaf: (value: string, title: string) => JsonValue): JsonObject {
	const out: JsonObject = {};
	const branches = new Set<JsonObject>();
	for (const field of contact.fields) {
		const segments = segmentsOf(field.path);
		let node: JsonObject | undefined = out;
		for (let depth = 0; node && depth < segments.length - 1; depth++) {
			const key = segments[depth];
			if (isReservedKey(key)) node = undefined;
			else if (!Object.prototype.hasOwnProperty.call(node, key)) {
				const branch: JsonObject = {};
				node[key] = branch;
				branches.add(branch);
				node = branch;
			} else {
				const next: JsonValue = node[key];
				node = typeof next === 'object' && next !== null && !Array.isArray(next) && branches.has(next) ? next : undefined;
			}
		}
		const last = segments[segments.length - 1];
		if (!node || isReservedKey(last)) continue;
		const existing = Object.prototype.hasOwnProperty.call(node, last) ? node[last] : undefined;
		if (!branches.has(existing as JsonObject)) node[last] = leaf(field.value, field.title);
	}
	return out;
}

function meta(contact: ContactView) {
	return {
		createdAt: iso(contact.createdAt),
		lastSeenAt: iso(contact.lastSeenAt),
		completedAt: iso(contact.completedAt),
		convertedAt: iso(contact.convertedAt),
		globalId: contact.globalId,
		completed: contact.completedAt !== null,
		converted: contact.convertedAt !== null,
	};
}

/** Perspective's own webhook body, plus the name of the event. */
export function toWebhookItem({ event, contact }: Emission): JsonObject {
	return {
		event,
		id: contact.id,
		funnelName: contact.funnelName,
		meta: meta(contact),
		profile: nest(contact, (value, title) => ({ value, title })),
	};
}

/** Flat meta and `fields` holding only values, for mapping into a CRM by hand. */
export function toSimplifiedItem({ event, contact }: Emission): JsonObject {
	return {
		event,
		id: contact.id,
		funnelName: contact.funnelName,
		...meta(contact),
		fields: nest(contact, (value) => value),
	};
}

export function formatEmission(emission: Emission, format: OutputFormat): JsonObject {
	return format === 'simplified' ? toSimplifiedItem(emission) : toWebhookItem(emission);
}
