import { applyBatch, prune } from './batch';
import { Dictionary, STATE_FORMAT, decodeContacts, encodeContact, joinEncoded } from './codec';
import { compact, mergeContacts } from './contact';
import type { Contact, ContactEvent, Emission, EpochMs, TriggerSettings } from './types';

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

export interface HandleOutcome {
	emissions: Emission[];
	/** Events skipped because they are older than the retention horizon. */
	expired: number;
	/** Stored records that could not be read (corrupt or from another format). */
	unreadable: number;
	/** The state to write back; null when the loaded copy is already the current one. */
	save: StoredState | null;
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
	private readonly contacts = new Map<string, Contact>();
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

	/** Loaded copy in, events applied, state to save out: one synchronous step. */
	handle(loaded: StoredState | undefined, events: ContactEvent[], settings: TriggerSettings, now: EpochMs): HandleOutcome {
		const changed = new Set<string>();
		const unreadable = loaded ? this.absorb(loaded, settings, changed) : 0;
		const batch = applyBatch(this.contacts, events, settings, now);
		for (const id of batch.changed) changed.add(id);
		for (const id of prune(this.contacts, settings, now)) changed.add(id);
		if (changed.size > 0) {
			for (const id of changed) this.encoded.delete(id);
			// Stryker disable next-line UpdateOperator: counting down names revisions just as uniquely
			this.revision = `${this.writerId}.${++this.serial}`;
			this.remember(this.revision);
		}
		const current = loaded?.revision === this.revision || this.revision === '';
		return {
			emissions: batch.emissions,
			expired: batch.expired,
			unreadable,
			save: current ? null : { format: STATE_FORMAT, revision: this.revision, contacts: this.serialize() },
		};
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

	private absorb(loaded: StoredState, settings: TriggerSettings, changed: Set<string>): number {
		if (this.held.includes(loaded.revision)) return 0;
		const { contacts, unreadable } = decodeContacts(loaded.contacts);
		for (const theirs of contacts) {
			const mine = this.contacts.get(theirs.id);
			const merged = mine ? mergeContacts(mine, theirs) : theirs;
			this.contacts.set(theirs.id, compact(merged, settings.events));
			changed.add(theirs.id);
		}
		this.remember(loaded.revision);
		return unreadable;
	}

	private remember(revision: string): void {
		this.held.push(revision);
		if (this.held.length > REMEMBERED_REVISIONS) this.held.shift();
	}

	private serialize(): string {
		// The dictionary only grows; once it holds far more than the contacts can be using
		// (identifiers of forgotten contacts), start a new one and encode everything again.
		// Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: how often the dictionary is rebuilt changes the cost of a save, not what is saved
		if (this.dictionary.size > 2 * this.contacts.size + 1000) {
			this.dictionary = new Dictionary();
			this.encoded.clear();
		}
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
