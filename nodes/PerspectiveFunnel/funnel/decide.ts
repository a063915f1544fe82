import { applyEvent, contactProblem, keptOf, viewOf } from './contact';
import type { Contact, ContactEvent, Emission, EpochMs, FunnelEventName, InputProblem, TriggerSettings } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The rules of the trigger as one pure function: a request's events against the contacts a
 * memory holds for it, in, and everything the memory must do, out. Both memories (static data
 * and Redis) load, call `decide`, and commit its decision all or nothing; neither applies a
 * rule of its own.
 */

/** What a memory found for the contacts a request names. */
export interface LoadedContacts {
	contacts: ReadonlyMap<string, Contact>;
	/** Stored records that could not be read (corrupt, or of another format); they count as absent. */
	unreadable: number;
}

export const NOTHING_LOADED: LoadedContacts = { contacts: new Map(), unreadable: 0 };

/** The bounds on what a memory keeps, enforced whenever it commits. */
export interface KeepBounds {
	/** Contacts last seen before this moment are forgotten. */
	horizon: EpochMs;
	/** How long a contact is kept after it was last seen (Retention). */
	retentionMs: number;
	/** Past this many, the least recently seen are forgotten (`seenEarlier` orders them). */
	maxContacts: number;
	/** The selected events: a contact that can reach none of them more keeps only its times (`compact`). */
	events: ReadonlySet<FunnelEventName>;
}

/** One request's decision: what to emit, and what the memory writes and forgets when it commits. */
export interface Decision {
	/** The selected events reached, in order, each with the contact right after its cause. */
	emissions: Emission[];
	/** Contacts this request changed, as they are to be stored. */
	write: Contact[];
	/** IDs of contacts this request changed that are already past Retention: delete them. */
	forget: string[];
	keep: KeepBounds;
	/** Events of other funnels than the selected ones: acknowledged, not applied. */
	ignored: number;
	/** Events older than Retention for contacts not held: skipped. */
	expired: number;
	/** As loaded: stored records of this request's contacts that could not be read. */
	unreadable: number;
	/**
	 * Set when an event would take its contact past a bound: then `emissions`, `write` and
	 * `forget` are empty, and the memory keeps nothing.
	 */
	refusal: InputProblem | null;
}

/** How funnel names compare: without case and surrounding spaces. */
export function normaliseFunnelName(name: string): string {
	return name.trim().toLowerCase();
}

/** True when an event belongs to a funnel the trigger listens to. */
export function isSelectedFunnel(event: ContactEvent, settings: TriggerSettings): boolean {
	return settings.funnelNames.size === 0 || settings.funnelNames.has(normaliseFunnelName(event.funnelName));
}

/** The distinct contacts the request's selected events are about: what a memory loads. */
export function contactIdsOf(events: ContactEvent[], settings: TriggerSettings): string[] {
	return [...new Set(events.filter((event) => isSelectedFunnel(event, settings)).map((event) => event.contactId))];
}

export function keepBounds(settings: TriggerSettings, now: EpochMs): KeepBounds {
	const retentionMs = settings.retentionDays * DAY_MS;
	return { horizon: now - retentionMs, retentionMs, maxContacts: settings.maxContacts, events: settings.events };
}

/**
 * Applies the request's events in order to the loaded contacts (never changed: the decision
 * holds copies) and returns the selected events they reached. An event older than Retention
 * for a contact that is not held is skipped: the contact would be forgotten at once, and a
 * replay of it could never be told from a new lead. The first event that would take its
 * contact past a bound refuses the whole request. After each event its contact is what
 * `keptOf` keeps, so that the next event sees the same contact whether it comes in this
 * request or in another.
 */
export function decide(loaded: LoadedContacts, events: ContactEvent[], settings: TriggerSettings, now: EpochMs): Decision {
	const keep = keepBounds(settings, now);
	const contacts = new Map(loaded.contacts);
	const changed = new Set<string>();
	const decision: Decision = {
		emissions: [],
		write: [],
		forget: [],
		keep,
		ignored: 0,
		expired: 0,
		unreadable: loaded.unreadable,
		refusal: null,
	};
	for (let index = 0; index < events.length; index++) {
		const event = events[index];
		if (!isSelectedFunnel(event, settings)) {
			decision.ignored++;
			continue;
		}
		const current = contacts.get(event.contactId);
		if (!current && event.at < keep.horizon) {
			decision.expired++;
			continue;
		}
		const { contact, whole, reached, view } = applyEvent(current, event);
		const problem = contactProblem(whole);
		if (problem) return { ...decision, emissions: [], refusal: { ...problem, index } };
		for (const name of reached) {
			if (view && settings.events.has(name)) decision.emissions.push({ event: name, contact: view });
		}
		contacts.set(event.contactId, keptOf(contact, settings.events));
		changed.add(event.contactId);
	}
	for (const id of changed) {
		const contact = contacts.get(id) as Contact;
		if (contact.lastSeenAt < keep.horizon) decision.forget.push(id);
		else decision.write.push(contact);
	}
	return decision;
}

/**
 * Two texts in code point order, which is the order of their UTF-8 bytes, Redis's order of a
 * sorted set's members with equal scores. JavaScript's `<` compares UTF-16 code units, which
 * puts a character past U+FFFF (a surrogate pair, 0xD800 to 0xDFFF) before one of U+E000 to
 * U+FFFF. At the first code unit that differs, units from 0xD800 up are moved so that
 * surrogates come after U+E000 to U+FFFF, as ICU's code point order does.
 */
export function codePointOrder(x: string, y: string): number {
	const length = Math.min(x.length, y.length);
	for (let index = 0; index < length; index++) {
		let a = x.charCodeAt(index);
		let b = y.charCodeAt(index);
		if (a === b) continue;
		if (a >= 0xd800 && b >= 0xd800) {
			a = a >= 0xe000 ? a - 0x800 : a + 0x2000;
			b = b >= 0xe000 ? b - 0x800 : b + 0x2000;
		}
		return a - b;
	}
	return x.length - y.length;
}

/**
 * Least recently seen first; the contact ID decides between equal times, in code point order,
 * so that static data forgets the same contact as the Redis memory's sorted set.
 */
// Stryker disable next-line EqualityOperator: the IDs of one map's contacts differ, so `<=` orders as `<` does
export const seenEarlier = (a: Contact, b: Contact) => a.lastSeenAt - b.lastSeenAt || (codePointOrder(a.id, b.id) < 0 ? -1 : 1);

/**
 * The IDs a memory holding `all` forgets to stay within its bounds: every contact last seen
 * before the horizon, then the least recently seen past Max Contacts. (The Redis memory's
 * commit script does the same with its sorted set.)
 */
export function contactsToForget(all: Iterable<Contact>, keep: KeepBounds): string[] {
	const forgotten: string[] = [];
	const kept: Contact[] = [];
	for (const contact of all) {
		if (contact.lastSeenAt < keep.horizon) forgotten.push(contact.id);
		else kept.push(contact);
	}
	const excess = kept.length - keep.maxContacts;
	// Stryker disable next-line ConditionalExpression,EqualityOperator: none is picked from none over; the check only saves copying the contacts
	if (excess > 0) for (const contact of leastRecentlySeen(kept, excess)) forgotten.push(contact.id);
	return forgotten;
}

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

/**
 * For the editor's test URL: the request alone, on no stored state, nothing kept, whatever its
 * age (a saved sample of last month still shows). The bounds on one contact apply as in
 * production, to each contact's events together. Every contact that ends the request with a
 * selected event reached gives that event once, with its final state, so one sample is enough
 * to map fields.
 */
export function preview(events: ContactEvent[], settings: TriggerSettings, now: EpochMs): Decision {
	const decision = decide(NOTHING_LOADED, [], settings, now);
	const finals = new Map<string, Contact>();
	for (let index = 0; index < events.length; index++) {
		const event = events[index];
		if (!isSelectedFunnel(event, settings)) {
			decision.ignored++;
			continue;
		}
		// nothing is kept: within the request, a webhook body's profile counts as a response event's answers do
		const { whole: contact } = applyEvent(finals.get(event.contactId), event);
		const problem = contactProblem(contact);
		if (problem) return { ...decision, refusal: { ...problem, index } };
		finals.set(event.contactId, contact);
	}
	for (const contact of finals.values()) {
		const view = viewOf(contact);
		if (settings.events.has('new_lead') && contact.convertedAt !== null) decision.emissions.push({ event: 'new_lead', contact: view });
		if (settings.events.has('funnel_completed') && contact.completedAt !== null) {
			decision.emissions.push({ event: 'funnel_completed', contact: view });
		}
	}
	return decision;
}
