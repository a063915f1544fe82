import { Dictionary, STATE_FORMAT, decodeContacts, encodeContact, joinEncoded } from '../funnel/codec';
import { keptOf, mergeContacts } from '../funnel/contact';
import { contactsToForget, seenEarlier, type Decision, type LoadedContacts } from '../funnel/decide';
import { LIMITS } from '../funnel/fields';
import type { Contact, EpochMs } from '../funnel/types';

/**
 * What the trigger keeps in n8n's static data: one string for all contacts (n8n wraps every
 * nested object in a Proxy on each request; one string costs far less), and a revision that
 * names the exact content, so a store recognises a copy it already holds.
 */
export interface StoredState {
	format: number;
	revision: string;
	contacts: string;
}

/** Reads the stored state out of a node's static data; undefined when there is none yet. */
export function readStoredState(staticData: Record<string, unknown>): StoredState | undefined {
	const { format, revision, contacts } = staticData;
	if (format !== STATE_FORMAT || typeof revision !== 'string' || typeof contacts !== 'string') return undefined;
	return { format, revision, contacts };
}

export function writeStoredState(staticData: Record<string, unknown>, state: StoredState): void {
	staticData.format = state.format;
	staticData.revision = state.revision;
	staticData.contacts = state.contacts;
}

/**
 * A map that notes the value each key had before its first change since `begin()`, so that
 * all changes since can be undone. Contacts are never undefined, so undefined means absent.
 */
class UndoableMap<K, V> extends Map<K, V> {
	private log: Map<K, V | undefined> | null = null;

	begin(): void {
		this.log = new Map();
	}

	private note(key: K): void {
		if (this.log && !this.log.has(key)) this.log.set(key, super.get(key));
	}

	set(key: K, value: V): this {
		this.note(key);
		return super.set(key, value);
	}

	delete(key: K): boolean {
		this.note(key);
		return super.delete(key);
	}

	/** The keys changed since `begin()`. */
	changed(): IterableIterator<K> {
		return (this.log ?? new Map<K, V | undefined>()).keys();
	}

	get changes(): number {
		return this.log?.size ?? 0;
	}

	// Stryker disable next-line BlockStatement: dropping the log only frees memory; begin() starts a new one before anything reads it
	commit(): void {
		this.log = null;
	}

	/** Puts every changed key back as it was; returns the keys. */
	rollback(): K[] {
		const keys: K[] = [];
		for (const [key, value] of this.log ?? []) {
			if (value === undefined) super.delete(key);
			else super.set(key, value);
			keys.push(key);
		}
		this.log = null;
		return keys;
	}
}

/** How many revisions a store remembers having written or absorbed. */
const REMEMBERED_REVISIONS = 256;

/** How long, and for how many requests, a request's static data may still await n8n's save. */
const PENDING_SAVE_MS = 10_000;
const PENDING_SAVES = 256;

/**
 * The in-process authority on one trigger node's contacts. n8n re-reads static data for
 * every request and writes it back whole without a lock, so concurrent requests overwrite
 * each other's saves. This store is the authority instead: each request merges the copy n8n
 * loaded into it (merging loses nothing), applies its events synchronously (two requests in
 * one process can never both see a contact unconverted), and writes everything known back,
 * so a save that lands out of order is healed by the next one. After a restart, the stored
 * copy is all there is, and the first request absorbs it.
 */
export class ContactStore {
	private readonly contacts = new UndoableMap<string, Contact>();
	/** Each contact's stored form, dropped when it changes; valid with `dictionary`. */
	private readonly encoded = new Map<string, string>();
	private dictionary = new Dictionary();
	/** Revisions whose whole content this store holds, oldest first. */
	// Stryker disable next-line ArrayDeclaration: a made-up first entry is never a revision any store writes (`writer.serial`)
	private readonly held: string[] = [];
	private revision = '';
	private serial = 0;
	/** Static data objects of recent requests, which n8n may not have saved yet. */
	private readonly pending: Array<{ staticData: Record<string, unknown>; until: EpochMs }> = [];

	constructor(private readonly writerId: string) {}

	/**
	 * One request, synchronously and all or nothing: the copy n8n loaded into this request's
	 * static data is merged in (merging loses nothing), `decide` runs on the named contacts as
	 * this store knows them, its writes and deletes are applied and the bounds it states
	 * enforced, and the whole state is written into the static data before the store commits.
	 * Two requests in one process can never both see a contact unconverted. When `decide`
	 * refuses or anything throws, the store is left exactly as it was, so a retry of the request
	 * decides what this one would have.
	 */
	transact(
		staticData: Record<string, unknown>,
		contactIds: string[],
		decide: (loaded: LoadedContacts) => Decision,
		now: EpochMs,
	): Decision {
		const loaded = readStoredState(staticData);
		this.contacts.begin();
		try {
			const absorbed = loaded !== undefined && !this.held.includes(loaded.revision);
			const absorption = absorbed ? this.absorb(loaded) : null;
			const named = new Map<string, Contact>();
			for (const id of contactIds) {
				const contact = this.contacts.get(id);
				if (contact) named.set(id, contact);
			}
			const decision = decide({ contacts: named, unreadable: absorption?.unreadable ?? 0 });
			if (decision.refusal) return decision;
			for (const contact of decision.write) this.contacts.set(contact.id, contact);
			for (const id of decision.forget) this.contacts.delete(id);
			// merged copies (saved under another selection of events maybe) keep what this one needs
			if (absorption) {
				for (const id of absorption.merged) {
					const contact = this.contacts.get(id);
					if (contact) this.contacts.set(id, keptOf(contact, decision.keep.events));
				}
			}
			for (const id of contactsToForget(this.contacts.values(), decision.keep)) this.contacts.delete(id);
			const changed = this.contacts.changes > 0;
			for (const id of this.contacts.changed()) this.encoded.delete(id);
			// Stryker disable next-line ArithmeticOperator: counting down names revisions just as uniquely
			const revision = changed ? `${this.writerId}.${this.serial + 1}` : this.revision;
			// revision '' means nothing ever changed, so the store is empty: nothing to save
			const current = loaded?.revision === revision || revision === '';
			const save = current ? null : { format: STATE_FORMAT, revision, contacts: this.serialize() };
			// this request's copy first: should writing it fail, the store has not changed either
			if (save) writeStoredState(staticData, save);
			this.contacts.commit();
			if (absorbed) this.remember(loaded.revision);
			if (changed) {
				// Stryker disable next-line UpdateOperator: counting down names revisions just as uniquely
				this.serial++;
				this.revision = revision;
				this.remember(revision);
			}
			if (save) this.publish(staticData, save, now);
			return decision;
		} finally {
			// refused, or something threw: undo every change since begin() (after commit(), there is none)
			this.rollback();
		}
	}

	/**
	 * Writes the state into this request's static data, and into that of recent requests
	 * whose save n8n may not have made yet. n8n saves each request's copy after the node
	 * returns, in no guaranteed order; this way the save that lands last carries the newest
	 * state instead of an older one, which matters when no later request comes to heal it
	 * (the end of a burst, before a restart).
	 */
	publish(staticData: Record<string, unknown>, state: StoredState, now: EpochMs): void {
		while (this.pending.length > 0 && (this.pending[0].until < now || this.pending.length >= PENDING_SAVES)) {
			this.pending.shift();
		}
		for (const earlier of this.pending) writeStoredState(earlier.staticData, state);
		writeStoredState(staticData, state);
		this.pending.push({ staticData, until: now + PENDING_SAVE_MS });
	}

	private rollback(): void {
		for (const id of this.contacts.rollback()) this.encoded.delete(id);
	}

	/** Merges a stored copy into this store; returns how many records could not be read, and the IDs merged. */
	private absorb(loaded: StoredState): { unreadable: number; merged: string[] } {
		const { contacts, unreadable } = decodeContacts(loaded.contacts);
		for (const theirs of contacts) {
			const mine = this.contacts.get(theirs.id);
			this.contacts.set(theirs.id, mine ? mergeContacts(mine, theirs) : theirs);
		}
		return { unreadable, merged: contacts.map((contact) => contact.id) };
	}

	private remember(revision: string): void {
		this.held.push(revision);
		if (this.held.length > REMEMBERED_REVISIONS) this.held.shift();
	}

	private serialize(): string {
		// The dictionary only grows; once it holds far more than the contacts can be using
		// (identifiers of forgotten contacts), start a new one and encode everything again.
		// Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: how often the dictionary is rebuilt changes the cost of a save, not what is saved
		if (this.dictionary.size > 2 * this.contacts.size + 1000) this.resetEncoding();
		const joined = this.join();
		return joined.length <= LIMITS.stateCharacters ? joined : this.shrink();
	}

	private resetEncoding(): void {
		this.dictionary = new Dictionary();
		this.encoded.clear();
	}

	private join(): string {
		const parts: string[] = [];
		for (const [id, contact] of this.contacts) {
			let part = this.encoded.get(id);
			// Stryker disable next-line ConditionalExpression: encoding a contact again gives the same string; the cache only saves time
			if (part === undefined) {
				part = encodeContact(contact, this.dictionary);
				this.encoded.set(id, part);
			}
			parts.push(part);
		}
		return joinEncoded(this.dictionary, parts);
	}

	/**
	 * The state is over its budget: forget the least recently seen contacts, as Max Contacts
	 * does, as few as make it fit with a tenth of the budget to spare (so that the next requests
	 * do not shrink again), with a fresh dictionary so that forgotten contacts leave no strings
	 * behind. One contact is at most `LIMITS.contactCharacters`, far below the budget, so the
	 * newest contacts always fit and no request fails for another's size.
	 */
	private shrink(): string {
		const target = LIMITS.stateCharacters * 0.9;
		const byAge = [...this.contacts.values()].sort(seenEarlier);
		this.resetEncoding();
		// Forgetting a contact frees at least its own record (a fresh dictionary is never longer),
		// so forgetting the oldest until their records make up the excess is sure to fit.
		// Stryker disable next-line ArithmeticOperator: a larger excess only raises the bound below, which the search then lowers to the same fewest
		let excess = this.join().length - target;
		let high = 0;
		// Stryker disable next-line ArithmeticOperator,AssignmentOperator,ConditionalExpression,EqualityOperator,StringLiteral: a higher bound that still fits only costs the search below more steps; it finds the same fewest
		while (excess > 0 && high < byAge.length) excess -= (this.encoded.get(byAge[high++].id) ?? '').length + 1;
		// Fewer may be enough where the state is mostly strings of the dictionary (long titles):
		// the fewest that fit, trying one fewer first (the usual answer), then by halves.
		let low = 0;
		// Stryker disable next-line ArithmeticOperator: the first probe only changes the cost of the search, not what it finds
		let probe = high - 1;
		while (high - low > 1) {
			if (this.joinWithout(byAge.slice(0, probe)).length <= target) high = probe;
			else low = probe;
			probe = Math.floor((low + high) / 2);
		}
		for (const { id } of byAge.slice(0, high)) this.contacts.delete(id);
		this.resetEncoding();
		return this.join();
	}

	/** The stored form without the given contacts, with a dictionary of its own. */
	private joinWithout(forgotten: Contact[]): string {
		const skip = new Set(forgotten);
		const dictionary = new Dictionary();
		const parts: string[] = [];
		for (const contact of this.contacts.values()) if (!skip.has(contact)) parts.push(encodeContact(contact, dictionary));
		return joinEncoded(dictionary, parts);
	}
}

const stores = new Map<string, ContactStore>();

/** The store of one trigger node (workflow id + node id) in this process. */
export function storeFor(scope: string): ContactStore {
	let store = stores.get(scope);
	if (!store) {
		// Stryker disable next-line MethodExpression: a longer random writer id is just as unique
		store = new ContactStore(Math.random().toString(36).slice(2, 10));
		stores.set(scope, store);
	}
	return store;
}
