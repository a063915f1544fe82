import { LIMITS, RESULT_FIELD, defaultTitle } from './fields';
import type {
	Contact,
	ContactEvent,
	ContactView,
	EpochMs,
	FunnelEventName,
	ProblemKind,
	StoredField,
	TriggerSettings,
} from './types';

/** What applying one event did: the contact after it, and the events it first set. */
export interface Transition {
	/** The contact after the event, as the rules keep it (a webhook body's profile is not in it). */
	contact: Contact;
	/** The contact with everything the event carried: what the bounds are checked on and the items show. */
	whole: Contact;
	/** `new_lead` before `funnel_completed` when one event does both. */
	reached: FunnelEventName[];
	/** The contact right after the event (`whole`), before any compaction; set when `reached` is not empty. */
	view: ContactView | null;
}

export function emptyContact(id: string): Contact {
	return {
		id,
		// Stryker disable next-line StringLiteral: the first event always sets the funnel name (no time is before -Infinity)
		funnelName: '',
		createdAt: Number.POSITIVE_INFINITY,
		lastSeenAt: Number.NEGATIVE_INFINITY,
		convertedAt: null,
		completedAt: null,
		globalId: null,
		fields: new Map(),
		results: new Map(),
		hasResponses: false,
	};
}

function earliest(a: EpochMs | null, b: EpochMs | null | undefined): EpochMs | null {
	if (b === null || b === undefined) return a;
	return a === null ? b : Math.min(a, b);
}

/** Sets the event's fields and result pages on `contact` (whose maps are its own): a field keeps its latest value. */
function addAnswers(contact: Contact, event: ContactEvent): void {
	for (const field of event.fields) {
		const existing = contact.fields.get(field.path);
		if (!existing || event.at >= existing.at) {
			contact.fields.set(field.path, { value: field.value, title: field.title, at: event.at });
		}
	}
	for (const name of event.results) {
		const seen = contact.results.get(name);
		// Stryker disable next-line EqualityOperator: `<=` sets a page's time to the time it already has
		if (seen === undefined || event.at < seen) contact.results.set(name, event.at);
	}
}

/**
 * Applies one event. A field keeps the value of the latest event time (the incoming event
 * wins a tie, so later answers of one request override earlier ones); flags never go back.
 * A Perspective webhook body carries the contact's whole profile every time, so its fields and
 * result pages go into `whole` (the items of this event) and not into the contact kept; a
 * response event's answers are kept. The given contact is not modified.
 */
export function applyEvent(current: Contact | undefined, event: ContactEvent): Transition {
	const before = current ?? emptyContact(event.contactId);
	const next: Contact = {
		...before,
		fields: new Map(before.fields),
		results: new Map(before.results),
		// a contact is not created after it was seen: a body's meta.createdAt past its visit counts as the visit
		createdAt: Math.min(before.createdAt, event.createdAt ?? event.at, event.at),
		convertedAt: earliest(before.convertedAt, event.convertedAt),
		completedAt: earliest(before.completedAt, event.completedAt),
		hasResponses: before.hasResponses || event.source === 'response',
	};
	if (event.at >= before.lastSeenAt) {
		next.lastSeenAt = event.at;
		next.funnelName = event.funnelName;
	} else if (!next.funnelName) {
		next.funnelName = event.funnelName;
	}
	if (event.globalId && (!before.globalId || event.at >= before.globalId.at)) {
		next.globalId = { value: event.globalId, at: event.at };
	}
	const whole = event.source === 'snapshot' ? { ...next, fields: new Map(next.fields), results: new Map(next.results) } : next;
	addAnswers(whole, event);

	const reached: FunnelEventName[] = [];
	if (before.convertedAt === null && next.convertedAt !== null) reached.push('new_lead');
	if (before.completedAt === null && next.completedAt !== null) reached.push('funnel_completed');
	return { contact: next, whole, reached, view: reached.length > 0 ? viewOf(whole) : null };
}

/** Deterministic order for two values stamped with the same time, so merging commutes. */
function laterOf<T extends { at: EpochMs }>(a: T, b: T, key: (item: T) => string): T {
	// Stryker disable next-line EqualityOperator: where the times differ, `>=` decides as `>` does
	if (a.at !== b.at) return a.at > b.at ? a : b;
	// Stryker disable next-line EqualityOperator: equal keys at equal times are equal values, either side will do
	return key(a) >= key(b) ? a : b;
}

const fieldKey = (field: StoredField) => `${field.value}\u0000${field.title}`;

/**
 * Merges two copies of one contact's state without losing either side: times by min/max,
 * flags by "ever set", each field by its latest time. Commutative and associative. (A merged
 * contact is kept as `keptOf` says, like any other.)
 */
export function mergeContacts(a: Contact, b: Contact): Contact {
	const fields = new Map(a.fields);
	for (const [path, field] of b.fields) {
		const mine = fields.get(path);
		fields.set(path, mine ? laterOf(mine, field, fieldKey) : field);
	}
	const results = new Map(a.results);
	for (const [name, at] of b.results) {
		const mine = results.get(name);
		results.set(name, mine === undefined ? at : Math.min(mine, at));
	}
	let funnelName: string;
	if (a.lastSeenAt !== b.lastSeenAt) {
		// Stryker disable next-line EqualityOperator: inside this branch the times differ, so `>=` decides as `>` does
		funnelName = (a.lastSeenAt > b.lastSeenAt ? a : b).funnelName || a.funnelName || b.funnelName;
	} else {
		// Stryker disable next-line EqualityOperator: equal names give the same name from either side
		funnelName = a.funnelName >= b.funnelName ? a.funnelName : b.funnelName;
	}
	let globalId = a.globalId ?? b.globalId;
	if (a.globalId && b.globalId) globalId = laterOf(a.globalId, b.globalId, (g) => g.value);
	return {
		id: a.id,
		funnelName,
		createdAt: Math.min(a.createdAt, b.createdAt),
		lastSeenAt: Math.max(a.lastSeenAt, b.lastSeenAt),
		convertedAt: earliest(a.convertedAt, b.convertedAt),
		completedAt: earliest(a.completedAt, b.completedAt),
		globalId,
		fields,
		results,
		hasResponses: a.hasResponses || b.hasResponses,
	};
}

/** True when no selected event is still to come for this contact. */
export function isSettled(contact: Contact, events: TriggerSettings['events']): boolean {
	const leadPending = events.has('new_lead') && contact.convertedAt === null;
	const completionPending = events.has('funnel_completed') && contact.completedAt === null;
	return !leadPending && !completionPending;
}

/** True when the contact holds only what deduplication and retention need. */
export function isCompact(contact: Contact): boolean {
	return contact.fields.size === 0 && contact.results.size === 0 && contact.globalId === null && contact.funnelName === '';
}

/**
 * Drops what a settled contact no longer needs (profile, funnel name, global ID): it can
 * emit nothing more, so its times are all that deduplication and retention read.
 */
export function compact(contact: Contact, events: TriggerSettings['events']): Contact {
	if (isCompact(contact) || !isSettled(contact, events)) return contact;
	return {
		...contact,
		funnelName: '',
		globalId: null,
		fields: new Map(),
		results: new Map(),
	};
}

/**
 * A contact known only from Perspective's webhook bodies, as kept: its ID, when it was last seen
 * (Retention, Max Contacts, and which of two events is the later), and whether it converted and
 * completed (what was emitted). The next body brings everything else again: its profile, its
 * funnel name and global ID, and its times (`meta.createdAt`, `convertedAt`, `completedAt`). The
 * times not kept read as the last time seen, which a body's own earlier times replace
 * (`applyEvent` takes the earliest).
 */
export function remembered(contact: Contact): Contact {
	const last = contact.lastSeenAt;
	return {
		...emptyContact(contact.id),
		createdAt: last,
		lastSeenAt: last,
		convertedAt: contact.convertedAt === null ? null : last,
		completedAt: contact.completedAt === null ? null : last,
	};
}

/**
 * What a memory keeps of a contact after an event: of a contact known only from webhook bodies,
 * what `remembered` keeps; of one that had response events, everything until it is settled,
 * then its times (`compact`).
 */
export function keptOf(contact: Contact, events: TriggerSettings['events']): Contact {
	return contact.hasResponses ? compact(contact, events) : remembered(contact);
}

/** The contact as a workflow sees it: profile fields in order, result pages joined in order. */
export function viewOf(contact: Contact): ContactView {
	const fields = [...contact.fields.entries()].map(([path, field]) => ({
		path,
		value: field.value,
		title: field.title,
	}));
	if (contact.results.size > 0) {
		// sort() is stable: pages seen at the same time keep the order they were first seen in
		const names = [...contact.results.entries()].sort(([, x], [, y]) => x - y).map(([name]) => name);
		fields.push({ path: RESULT_FIELD, value: names.join(';'), title: defaultTitle(RESULT_FIELD) });
	}
	return {
		id: contact.id,
		funnelName: contact.funnelName,
		createdAt: contact.createdAt,
		lastSeenAt: contact.lastSeenAt,
		convertedAt: contact.convertedAt,
		completedAt: contact.completedAt,
		globalId: contact.globalId?.value ?? null,
		fields,
	};
}

/** Why a contact's state may not be kept: a bound it would pass, or fields that collide. */
export interface ContactProblem {
	kind: Exclude<ProblemKind, 'tooManyEvents'>;
	/** The field concerned, or '' for the contact as a whole. */
	field: string;
	message: string;
}

/**
 * Checks a contact against the bounds on one contact's stored answers, and that no field
 * lies inside another (`address` and `address.city`): an item could not hold both.
 */
export function contactProblem(contact: Contact): ContactProblem | null {
	if (contact.fields.size + contact.results.size > LIMITS.fieldsPerContact) {
		return { kind: 'tooLarge', field: '', message: `more than ${LIMITS.fieldsPerContact} fields for one contact` };
	}
	let characters = 0;
	for (const [path, field] of contact.fields) {
		characters += path.length + field.value.length + field.title.length;
		// Stryker disable next-line StringLiteral,EqualityOperator: a dot at 0 would be an empty first segment, which identifierProblem refuses
		for (let dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
			const parent = path.slice(0, dot);
			if (contact.fields.has(parent)) {
				return {
					kind: 'malformed',
					field: path,
					message: `field "${path}" lies inside field "${parent}": a field with a value cannot also have sub-fields`,
				};
			}
		}
	}
	for (const name of contact.results.keys()) characters += name.length;
	if (characters > LIMITS.contactCharacters) {
		return {
			kind: 'tooLarge',
			field: '',
			message: `one contact's stored answers would exceed ${LIMITS.contactCharacters} characters`,
		};
	}
	return null;
}
