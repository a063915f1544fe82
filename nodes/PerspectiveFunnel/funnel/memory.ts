import type { Decision, LoadedContacts } from './decide';

/**
 * Where a trigger node keeps its contacts between requests: the one port between the rules
 * (`decide`) and storage. Two adapters implement it:
 * - static data (`trigger/staticDataMemory.ts`): n8n's per-node JSON, through the in-process
 *   `ContactStore` beside it;
 * - Redis (the `n8n-nodes-perspective-funnel-redis` package, `redisMemory.ts`): one key per
 *   contact, committed by one atomic script on the server.
 *
 * `transact` loads the named contacts, calls `decide` with them, and commits the decision all
 * or nothing: its writes and deletes, and the bounds it states (Retention, Max Contacts). It
 * may call `decide` again when another process changed a contact in between (Redis); the
 * decision it returns is the one committed. A refused decision commits nothing. When nothing
 * can be committed, it rejects and nothing changed: with `MemoryUnavailable` when storage is
 * out of reach or too slow.
 */
export interface ContactMemory {
	transact(contactIds: string[], decide: (loaded: LoadedContacts) => Decision): Promise<Decision>;
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
