import { LIMITS, defaultTitle, identifierProblem, isPlainObject, valueToText } from '../funnel/fields';
import type { ContactView, Emission, FieldUpdate, ItemEventName } from '../funnel/types';
import { CONTACT_TIME_FIELDS, contactTime, recordId, type ApiRecord } from './contract';

/** Keys of an API contact that are bookkeeping, not answers of the visitor (`_id` is a `_…` key). */
const NOT_PROFILE = new Set(['id', 'meta', 'funnelId', 'workspaceId', 'funnelName', 'globalId']);

function isScalar(value: unknown): value is string | number | boolean {
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** `{ value, title? }` as in a Perspective webhook profile: a leaf, not a branch. */
function isTitledLeaf(value: ApiRecord): boolean {
	return 'value' in value && Object.keys(value).every((key) => key === 'value' || key === 'title');
}

/**
 * The profile of an API contact as dotted fields. Nested objects become deeper paths, lists of
 * scalars are joined by `;` as Perspective joins multiple choice, metadata (`ps_…`, `_…`) and
 * empty values are left out, and so is any key that could not be a profile path.
 */
export function profileFields(contact: ApiRecord): FieldUpdate[] {
	const fields: FieldUpdate[] = [];
	// identifierProblem refuses a path deeper than the trigger accepts, so the walk stops there
	// without a depth count of its own (a key with dots only makes the path deeper, never shallower).
	const walk = (value: unknown, path: string, title?: unknown) => {
		if (identifierProblem(path) !== null) return;
		if (isPlainObject(value)) {
			if (isTitledLeaf(value)) return walk(value.value, path, value.title);
			for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`);
			return;
		}
		let text: string | null = null;
		if (isScalar(value)) text = valueToText(value);
		else if (Array.isArray(value) && value.every(isScalar)) text = valueToText(value);
		if (text === null || text === '') return;
		fields.push({
			path,
			value: text.slice(0, LIMITS.valueLength),
			title: typeof title === 'string' && title !== '' ? title : defaultTitle(path),
		});
	};
	for (const [key, value] of Object.entries(contact)) {
		if (NOT_PROFILE.has(key) || key.startsWith('ps_') || key.startsWith('_')) continue;
		// Custom properties are answers like any other: at the top of the profile, as in a webhook.
		if (key === 'properties' && isPlainObject(value)) {
			for (const [name, answer] of Object.entries(value)) if (!(name in contact)) walk(answer, name);
			continue;
		}
		walk(value, key);
	}
	return fields;
}

/**
 * An API contact in the trigger's terms, so that it leaves the poll trigger in the same item
 * format as a webhook emission. Times the API does not give stay null; first/last seen fall
 * back to the times that are known.
 */
export function contactView(contact: ApiRecord, funnelName: string): ContactView {
	const times = {
		firstSeenAt: contactTime(contact, CONTACT_TIME_FIELDS.firstSeenAt),
		lastSeenAt: contactTime(contact, CONTACT_TIME_FIELDS.lastSeenAt),
		convertedAt: contactTime(contact, CONTACT_TIME_FIELDS.convertedAt),
		completedAt: contactTime(contact, CONTACT_TIME_FIELDS.completedAt),
	};
	const known = Object.values(times).filter((at): at is number => at !== null);
	const globalId = contact.globalId ?? contact.ps_global_id;
	return {
		id: recordId(contact) ?? '',
		funnelName: typeof contact.funnelName === 'string' ? contact.funnelName : funnelName,
		createdAt: times.firstSeenAt ?? (known.length > 0 ? Math.min(...known) : 0),
		lastSeenAt: times.lastSeenAt ?? (known.length > 0 ? Math.max(...known) : 0),
		convertedAt: times.convertedAt,
		completedAt: times.completedAt,
		globalId: typeof globalId === 'string' ? globalId : null,
		fields: profileFields(contact),
	};
}

export function contactEmission(event: ItemEventName, contact: ApiRecord, funnelName: string): Emission {
	return { event, contact: contactView(contact, funnelName) };
}

/**
 * A contact in a few fields, for the Simplify option: who it is and when it converted. A full
 * contact has many more (address, UTM parameters, custom properties, metadata).
 */
export function simplifiedContact(contact: ApiRecord): ApiRecord {
	const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
	const convertedAt = contactTime(contact, CONTACT_TIME_FIELDS.convertedAt);
	return {
		id: recordId(contact),
		email: text(contact.email),
		phone: text(contact.phone),
		firstName: text(contact.firstName),
		lastName: text(contact.lastName),
		status: text(contact.status),
		convertedAt: convertedAt === null ? null : new Date(convertedAt).toISOString(),
	};
}
