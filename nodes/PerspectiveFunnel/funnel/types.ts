/** Milliseconds since the Unix epoch, UTC. */
export type EpochMs = number;

/** The two moments Perspective has a webhook for, as the workflow sees them. */
export type FunnelEventName = 'new_lead' | 'funnel_completed';

/** The name an item carries: the webhook events, and `new_contact` of the poll trigger. */
export type ItemEventName = FunnelEventName | 'new_contact';

/** One profile entry: what the visitor gave, under a human-readable title. */
export interface FieldUpdate {
	/** Dotted identifier: a dot means one level down (`address.city`). */
	path: string;
	value: string;
	title: string;
}

/**
 * One thing that happened to a contact, whatever the request looked like: a Perspective
 * webhook body (a snapshot) and a response event both become this.
 */
export interface ContactEvent {
	source: 'snapshot' | 'response';
	contactId: string;
	funnelName: string;
	/** When it happened; orders the event against others of the same contact. */
	at: EpochMs;
	/** First seen, when the source knows it (a snapshot's `meta.createdAt`). */
	createdAt?: EpochMs;
	globalId?: string;
	fields: FieldUpdate[];
	/** Names of the result pages this event reports, in the order seen. */
	results: string[];
	/** Set when this event converts the contact: the time of conversion. */
	convertedAt?: EpochMs;
	/** Set when this event completes the funnel: the time of completion. */
	completedAt?: EpochMs;
}

/** A profile field as stored: the value of the latest event that set it. */
export interface StoredField {
	value: string;
	title: string;
	at: EpochMs;
}

/**
 * What the trigger keeps of one contact. Every part merges with another copy of the same
 * contact without loss: times by min/max, conversion and completion by "ever set", fields
 * and global ID by latest time, `hasResponses` by "ever set". The fields and results are those
 * of response events only: a Perspective webhook body's profile makes the items of that body
 * and is not kept (`applyEvent`). What is stored depends on `keptOf` (contact.ts).
 */
export interface Contact {
	id: string;
	/** The funnel name of the latest event (the one at `lastSeenAt`); '' once compacted. */
	funnelName: string;
	createdAt: EpochMs;
	lastSeenAt: EpochMs;
	/** Set once converted (a lead); never cleared. */
	convertedAt: EpochMs | null;
	/** Set once the funnel is completed; never cleared. */
	completedAt: EpochMs | null;
	globalId: { value: string; at: EpochMs } | null;
	/** Dotted path → field, in the order first set. */
	fields: Map<string, StoredField>;
	/** Result page name → when first seen. */
	results: Map<string, EpochMs>;
	/**
	 * True once a response event was applied: its answers, which no later event brings again,
	 * are kept until the contact can emit nothing more. False while the contact is known only
	 * from Perspective's webhook bodies, each of which carries the whole profile again.
	 */
	hasResponses: boolean;
}

/** A contact as a downstream node sees it: plain data, times as epoch milliseconds. */
export type ContactView = Pick<Contact, 'id' | 'funnelName' | 'createdAt' | 'lastSeenAt' | 'convertedAt' | 'completedAt'> & {
	globalId: string | null;
	/** Profile fields in order, result pages included as the `result` field. */
	fields: FieldUpdate[];
};

/** An event to hand to the workflow, with the contact as it was right after its cause. */
export interface Emission {
	event: ItemEventName;
	contact: ContactView;
}

/** Which events the user selected, which funnels count, and how long contacts are remembered. */
export interface TriggerSettings {
	events: ReadonlySet<FunnelEventName>;
	/** Funnel names to accept, as `funnelKey` gives them; empty accepts every funnel. */
	funnelNames: ReadonlySet<string>;
	retentionDays: number;
	maxContacts: number;
}

/**
 * What kind of bound or shape a request breaks: `trigger/` alone turns a kind into an HTTP
 * status (400 for malformed, 413 for the others).
 */
export type ProblemKind = 'malformed' | 'tooLarge' | 'tooManyEvents';

/** Why a request is refused: what kind of problem, where (event and field), and what was expected. */
export interface InputProblem {
	kind: ProblemKind;
	/** Index of the offending event in the request (0 for a single object); null for the body as a whole. */
	index: number | null;
	/** Path of the offending field inside that event, e.g. `answers[2].id`; '' for the whole. */
	field: string;
	message: string;
}
