import type { ContactProblem } from './contact';
import type { ContactEvent, Emission, EpochMs, TriggerSettings } from './types';

/** What a memory decided for one request's events. */
export interface Decision {
	emissions: Emission[];
	/** Events skipped because they are older than the retention horizon. */
	expired: number;
	/** Stored records that could not be read (corrupt or from another format), dropped. */
	unreadable: number;
	/**
	 * Set when an event would take its contact past a bound (its index in the events, and
	 * why): then nothing was emitted and nothing changed.
	 */
	refused?: { event: number; problem: ContactProblem };
}

/**
 * Where a trigger node keeps its contacts between requests. Every memory decides with the
 * same rules (`applyBatch` and `prune` in batch.ts); memories differ only in how the
 * contacts a request needs are loaded and how the changes are kept:
 * - static data (`trigger/staticDataMemory.ts`): n8n's per-node JSON, through the
 *   in-process `ContactStore`;
 * - Redis (the `n8n-nodes-perspective-funnel-redis` package): one key per contact, the
 *   change committed by one atomic step on the server.
 *
 * `apply` is all or nothing. `finish` receives the decision before it is committed (the
 * caller builds its items there); if `finish` throws, or the memory cannot commit, nothing is
 * kept and the promise rejects. A memory may decide more than once for one request (Redis,
 * when another process changed a contact meanwhile): `finish` then runs again, and only its
 * last run belongs to the committed decision.
 */
export interface ContactMemory {
	apply(
		events: ContactEvent[],
		settings: TriggerSettings,
		now: EpochMs,
		finish: (decision: Decision) => void,
	): Promise<Decision>;
}

/**
 * The memory could not be reached or could not commit in time: nothing was emitted and
 * nothing changed, and the sender should try again after `retryAfterSeconds`.
 */
export class MemoryUnavailable extends Error {
	constructor(
		message: string,
		readonly retryAfterSeconds: number,
	) {
		super(message);
		this.name = 'MemoryUnavailable';
	}
}
