import { applyEvent, compact, contactProblem, viewOf, type ContactProblem } from './contact';
import type { Contact, ContactEvent, Emission, EpochMs, TriggerSettings } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Contacts whose latest event is older than this are forgotten. */
export function retentionHorizon(settings: TriggerSettings, now: EpochMs): EpochMs {
	return now - settings.retentionDays * DAY_MS;
}

export interface BatchOutcome {
	emissions: Emission[];
	/** Ids of the contacts the batch changed. */
	changed: Set<string>;
	/** Events older than the retention horizon for contacts no longer (or never) known. */
	expired: number;
	/**
	 * Set when an event would take its contact past a bound: the index of the event and why.
	 * The batch stops there; the contacts map then holds a partial change, to be undone.
	 */
	refused?: { event: number; problem: ContactProblem };
}

/**
 * Applies a request's events in order to `contacts` (changed in place) and returns the
 * selected events they reached, each with the contact right after its cause. An event
 * older than the retention horizon for a contact that is not held is skipped: the contact
 * would be forgotten at once, and a replay of it could never be told from a new lead.
 */
export function applyBatch(
	contacts: Map<string, Contact>,
	events: ContactEvent[],
	settings: TriggerSettings,
	now: EpochMs,
): BatchOutcome {
	const horizon = retentionHorizon(settings, now);
	const outcome: BatchOutcome = { emissions: [], changed: new Set(), expired: 0 };
	for (let index = 0; index < events.length; index++) {
		const event = events[index];
		const current = contacts.get(event.contactId);
		if (!current && event.at < horizon) {
			outcome.expired++;
			continue;
		}
		const { contact, reached, view } = applyEvent(current, event);
		const problem = contactProblem(contact);
		if (problem) {
			outcome.refused = { event: index, problem };
			return outcome;
		}
		for (const name of reached) {
			if (view && settings.events.has(name)) outcome.emissions.push({ event: name, contact: view });
		}
		contacts.set(event.contactId, compact(contact, settings.events));
		outcome.changed.add(event.contactId);
	}
	return outcome;
}

/**
 * Drops contacts not seen since the retention horizon, then the least recently seen past
 * `maxContacts`. Returns the ids dropped.
 */
export function prune(contacts: Map<string, Contact>, settings: TriggerSettings, now: EpochMs): string[] {
	const horizon = retentionHorizon(settings, now);
	const dropped: string[] = [];
	for (const [id, contact] of contacts) {
		if (contact.lastSeenAt < horizon) {
			contacts.delete(id);
			dropped.push(id);
		}
	}
	const excess = contacts.size - settings.maxContacts;
	// Stryker disable next-line ConditionalExpression,EqualityOperator: none is picked from none over; the check only saves copying the contacts
	if (excess > 0) {
		for (const contact of leastRecentlySeen([...contacts.values()], excess)) {
			contacts.delete(contact.id);
			dropped.push(contact.id);
		}
	}
	return dropped;
}

/** Least recently seen first; the contact ID decides between equal times. */
// Stryker disable next-line EqualityOperator: the IDs of one map's contacts differ, so `<=` orders as `<` does
export const seenEarlier = (a: Contact, b: Contact) => a.lastSeenAt - b.lastSeenAt || (a.id < b.id ? -1 : 1);

/** The `count` contacts seen longest ago; a scan when few are wanted (the usual one), else a sort. */
function leastRecentlySeen(all: Contact[], count: number): Contact[] {
	// Stryker disable next-line ConditionalExpression,EqualityOperator: sort and scan pick the same contacts; the threshold only chooses the faster
	if (count > 16) return all.sort(seenEarlier).slice(0, count);
	const picked: Contact[] = [];
	for (let round = 0; round < count; round++) {
		let oldest: Contact | undefined;
		for (const contact of all) {
			if (picked.includes(contact)) continue;
			// Stryker disable next-line EqualityOperator: two different contacts never compare equal (their IDs differ)
			if (!oldest || seenEarlier(contact, oldest) < 0) oldest = contact;
		}
		if (oldest) picked.push(oldest);
	}
	return picked;
}

/** The first event of a request that takes its contact past a bound, taken alone (the test URL). */
export function checkAlone(events: ContactEvent[]): BatchOutcome['refused'] | null {
	const contacts = new Map<string, Contact>();
	for (let index = 0; index < events.length; index++) {
		const event = events[index];
		const { contact } = applyEvent(contacts.get(event.contactId), event);
		const problem = contactProblem(contact);
		if (problem) return { event: index, problem };
		contacts.set(event.contactId, contact);
	}
	return null;
}

/**
 * For the editor's test URL: the request alone, on no stored state. Every contact that ends
 * the request with a selected event reached gives that event once, with its final state,
 * so one sample is enough to map fields.
 */
export function previewBatch(events: ContactEvent[], settings: TriggerSettings): Emission[] {
	const contacts = new Map<string, Contact>();
	for (const event of events) {
		contacts.set(event.contactId, applyEvent(contacts.get(event.contactId), event).contact);
	}
	const emissions: Emission[] = [];
	for (const contact of contacts.values()) {
		const view = viewOf(contact);
		if (settings.events.has('new_lead') && contact.convertedAt !== null) {
			emissions.push({ event: 'new_lead', contact: view });
		}
		if (settings.events.has('funnel_completed') && contact.completedAt !== null) {
			emissions.push({ event: 'funnel_completed', contact: view });
		}
	}
	return emissions;
}
