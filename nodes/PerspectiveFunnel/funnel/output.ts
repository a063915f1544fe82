import set from 'lodash/set';

import type { ContactView, Emission, EpochMs } from './types';

export type OutputFormat = 'webhook' | 'simplified';

/** A JSON object as n8n items carry them. */
export type JsonObject = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonObject | JsonValue[];

const iso = (at: EpochMs | null): string | null => (at === null ? null : new Date(at).toISOString());

/** Builds an object from dotted paths with lodash's `set`, as Perspective builds its profile. */
function nest(contact: ContactView, leaf: (value: string, title: string) => JsonValue): JsonObject {
	const out: JsonObject = {};
	for (const field of contact.fields) set(out, field.path, leaf(field.value, field.title));
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
