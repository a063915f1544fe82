import { randomUUID } from 'crypto';
import type Redis from 'ioredis';
import { sleep } from 'n8n-workflow';

import { Dictionary, decodeContacts, encodeContact, joinEncoded } from '../../../nodes/PerspectiveFunnel/funnel/codec';
import type { Decision, LoadedContacts } from '../../../nodes/PerspectiveFunnel/funnel/decide';
import { MAX_CLOCK_SKEW_MS } from '../../../nodes/PerspectiveFunnel/funnel/fields';
import { MemoryUnavailable, type ContactMemory } from '../../../nodes/PerspectiveFunnel/funnel/memory';
import type { Contact } from '../../../nodes/PerspectiveFunnel/funnel/types';

/** How long after its read a commit may still start, in the Redis server's own clock. */
export const COMMIT_WINDOW_MS = 2_000;
/** How often one request reads and decides again when other requests changed its contacts meanwhile. */
export const MAX_ATTEMPTS = 10;
/** What a 503 tells the sender to wait, in seconds. */
export const RETRY_AFTER_SECONDS = 5;
/**
 * How long a request waits behind this process's earlier requests for its contacts before it
 * answers 503: less than the command timeout, so that while Redis hangs the requests behind
 * one that waits for Redis give up before it does, not one after another.
 */
export const QUEUE_WAIT_MS = 2_000;
/** How long after sending a commit that got no reply a request keeps asking Redis whether it was kept. */
export const OUTCOME_WAIT_MS = 10_000;
/** Between two such questions. */
export const OUTCOME_PAUSE_MS = 250;
/** How long Redis keeps a commit's receipt (or the mark that voids it): far longer than anyone asks. */
export const RECEIPT_TTL_MS = 60_000;

/**
 * The keys of one trigger node: `<prefix>:{<workflow id>:<node id>}:contact:<contact id>`
 * holds one contact (the compact stored form of codec.ts), `<prefix>:{…}:seen` is the
 * sorted set of the node's contact ids by last seen, `<prefix>:{…}:commit:<token>` a
 * commit's receipt for a minute. The braces are a Redis Cluster hash tag: all keys of one
 * node live in one slot, so one script may touch them all.
 */
export class KeySpace {
	readonly node: string;

	constructor(prefix: string, workflowId: string, nodeId: string) {
		this.node = `${prefix}:{${workflowId}:${nodeId}}`;
	}

	get seen(): string {
		return `${this.node}:seen`;
	}

	get contactPrefix(): string {
		return `${this.node}:contact:`;
	}

	contact(id: string): string {
		return `${this.contactPrefix}${id}`;
	}

	receipt(token: string): string {
		return `${this.node}:commit:${token}`;
	}
}

/** The checks both scripts share: a decimal whole number that Lua's doubles and Redis's integers both hold exactly. */
const LUA_WHOLE = `
local function whole(value, least)
  if type(value) ~= 'string' or not string.match(value, '^%-?%d+$') then return false end
  local digits = string.gsub(value, '^%-', '')
  return #digits <= 15 and tonumber(value) >= least
end
local function now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
`;

/**
 * The atomic step, run by the Redis server as one script. It first checks everything and
 * writes nothing when a check fails: the commit must start before its deadline (Redis's clock)
 * and must not have been voided (`FENCE_SCRIPT`); every argument it would store must be one
 * Redis accepts (otherwise an error reply); every contact key must still hold what this
 * request read. Only then does it write: the changed contacts, each expiring when its
 * retention ends; the sorted set by last seen; the receipt; and it drops from the set what
 * retention expired and forgets the least recently seen contacts past Max Contacts. A Redis
 * error inside the script can therefore only come before its first write (Redis refuses an
 * out-of-memory or read-only write only as a script's first). Returns 1 when committed, 0
 * when a contact changed since the read, -1 when too late or voided.
 *
 * KEYS: the sorted set, the receipt, then one key per contact the request names.
 * ARGV: deadline (server ms), horizon (ms), max contacts, contact key prefix, sorted set
 *       expiry (ms), receipt lifetime (ms); then per contact: expected value ('' when
 *       absent), operation ('' keep, 's' set, 'd' delete), new value, expiry (ms), last seen
 *       (ms), contact id.
 */
export const COMMIT_SCRIPT = `${LUA_WHOLE}
local n = #KEYS - 2
if #ARGV ~= 6 + n * 6 then return redis.error_reply('perspective-funnel: malformed commit') end
if not (whole(ARGV[1], 0) and whole(ARGV[2], -999999999999999) and whole(ARGV[3], 1) and whole(ARGV[5], 1) and whole(ARGV[6], 1)) then
  return redis.error_reply('perspective-funnel: a bound cannot be stored')
end
if now_ms() > tonumber(ARGV[1]) then return -1 end
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local seen_type = redis.call('TYPE', KEYS[1]).ok
if seen_type ~= 'zset' and seen_type ~= 'none' then return redis.error_reply('perspective-funnel: the sorted set key holds another type') end
for i = 1, n do
  local base = 6 + (i - 1) * 6
  local op = ARGV[base + 2]
  if op == 's' then
    if ARGV[base + 3] == '' or not whole(ARGV[base + 4], 1) or not whole(ARGV[base + 5], 0) then
      return redis.error_reply('perspective-funnel: a contact cannot be stored')
    end
  elseif op ~= 'd' and op ~= '' then
    return redis.error_reply('perspective-funnel: unknown operation')
  end
end
for i = 1, n do
  local current = redis.call('GET', KEYS[i + 2])
  if (current or '') ~= ARGV[6 + (i - 1) * 6 + 1] then return 0 end
end
for i = 1, n do
  local base = 6 + (i - 1) * 6
  local op = ARGV[base + 2]
  if op == 's' then
    redis.call('SET', KEYS[i + 2], ARGV[base + 3], 'PXAT', ARGV[base + 4])
    redis.call('ZADD', KEYS[1], ARGV[base + 5], ARGV[base + 6])
  elseif op == 'd' then
    redis.call('DEL', KEYS[i + 2])
    redis.call('ZREM', KEYS[1], ARGV[base + 6])
  end
end
redis.call('SET', KEYS[2], 'kept', 'PX', ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[3])
if excess > 0 then
  local evicted = redis.call('ZPOPMIN', KEYS[1], excess)
  for j = 1, #evicted, 2 do redis.call('DEL', ARGV[4] .. evicted[j]) end
end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIREAT', KEYS[1], ARGV[5]) end
return 1
`;

/**
 * Whether a commit whose reply never came was kept: 'kept' when its receipt is there;
 * otherwise the receipt's key is marked void, so that the commit, should it still arrive,
 * refuses itself, and the answer is 'void'. Once Redis's clock is past the commit's deadline
 * no commit can start anyway, so the mark is then only a second lock and may fail (memory
 * full); before the deadline, a mark that cannot be written is an error and the caller asks
 * again.
 *
 * KEYS: the receipt. ARGV: the commit's deadline (server ms), the mark's lifetime (ms).
 */
export const FENCE_SCRIPT = `${LUA_WHOLE}
if not (whole(ARGV[1], 0) and whole(ARGV[2], 1)) then return redis.error_reply('perspective-funnel: malformed fence') end
local state = redis.call('GET', KEYS[1])
if state then return state end
local late = now_ms() > tonumber(ARGV[1])
local marked = redis.pcall('SET', KEYS[1], 'void', 'PX', ARGV[2])
if type(marked) == 'table' and marked.err and not late then return redis.error_reply(marked.err) end
return 'void'
`;

/** ioredis calls each script by its SHA and loads it when the server does not know it yet. */
const COMMIT = 'perspectiveFunnelCommit';
const FENCE = 'perspectiveFunnelFence';

type ScriptCommand<T> = (keyCount: number, ...keysAndArgs: string[]) => Promise<T>;

export function defineScripts(client: Redis): void {
	client.defineCommand(COMMIT, { lua: COMMIT_SCRIPT });
	client.defineCommand(FENCE, { lua: FENCE_SCRIPT });
}

function scriptOf<T>(client: Redis, name: string): (...keysAndArgs: Array<string | number>) => Promise<T> {
	const command = (client as unknown as Record<string, ScriptCommand<T>>)[name];
	return async (...keysAndArgs) => await command.call(client, ...(keysAndArgs as [number, ...string[]]));
}

/**
 * Requests on one connection (one per credential per process) that name a contact wait for
 * the earlier ones that name it, so that the atomic step's compare-and-set only ever races
 * with other processes: without this, 50 concurrent requests for one contact in one process
 * would each re-read up to 49 times. A request takes its place behind every earlier request
 * on any of its keys at once (synchronously), so the order is the order of arrival and no two
 * requests wait on each other. A request that waited `maxWaitMs` gives up (`onTimeout`);
 * the requests behind it still wait for those ahead of it. An entry is removed as soon as
 * nothing more waits behind it.
 */
export type ArrivalQueue = Map<string, Promise<void>>;

const queues = new WeakMap<Redis, ArrivalQueue>();

/** The arrival queue of a connection: the last request waiting per contact key. */
export function arrivalQueueOf(client: Redis): ArrivalQueue {
	let queue = queues.get(client);
	if (!queue) {
		queue = new Map();
		queues.set(client, queue);
	}
	return queue;
}

export async function inArrivalOrder<T>(
	queueTails: ArrivalQueue,
	keys: string[],
	run: () => Promise<T>,
	maxWaitMs: number,
	onTimeout: () => Error,
): Promise<T> {
	const earlier = new Set<Promise<void>>();
	for (const key of keys) {
		const tail = queueTails.get(key);
		if (tail) earlier.add(tail);
	}
	let release = () => undefined as void;
	const mine = new Promise<void>((resolve) => (release = resolve));
	for (const key of keys) queueTails.set(key, mine);
	const ahead = Promise.all(earlier);
	const leave = () => {
		release();
		for (const key of keys) if (queueTails.get(key) === mine) queueTails.delete(key);
	};
	if (!(await settlesWithin(ahead, maxWaitMs))) {
		// those behind this request keep their place behind the ones ahead of it
		void ahead.then(leave);
		throw onTimeout();
	}
	try {
		return await run();
	} finally {
		leave();
	}
}

/**
 * True when `promise` settles within `ms`, false when the time runs out first. The timer is not
 * cancelled when the promise wins (it runs out harmlessly, at most QUEUE_WAIT_MS later): n8n's
 * cancellable `sleepWithAbort` is in n8n 1.x's n8n-workflow but not in 2.x's (2.41.0, which
 * n8n 2.41.1 gives community packages), and n8n's rules ban the global timers.
 */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
	return await Promise.race([promise.then(() => true), sleep(ms).then(() => false)]);
}

/** Redis's TIME (seconds, microseconds) in milliseconds, as the scripts' `now_ms` reads it. */
export const millisOf = ([seconds, micros]: [string, string]) => Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);

/** One contact as stored in its key: the codec's form with a dictionary of its own. */
export function encodeStoredContact(contact: Contact): string {
	const dictionary = new Dictionary();
	const encoded = encodeContact(contact, dictionary);
	return joinEncoded(dictionary, [encoded]);
}

export function decodeStoredContact(value: string, id: string): Contact | null {
	const { contacts } = decodeContacts(value);
	return contacts.length === 1 && contacts[0].id === id ? contacts[0] : null;
}

/** A contact the commit keeps or deletes: value, expiry and last seen, which the script reads only of a contact it sets. */
// Stryker disable next-line StringLiteral: placeholders the script never reads (an empty list is a malformed commit, tested)
const NOT_SET = ['', '0', '0'];

/**
 * Redis did not tell, within `OUTCOME_WAIT_MS`, whether a commit was kept: the request
 * cannot answer 503 ("nothing was kept") truthfully, so it fails as an unexpected error
 * (500) and emits nothing.
 */
export class CommitOutcomeUnknown extends Error {
	constructor(reason: string) {
		super(`Redis did not confirm whether this request was kept (${reason}); if it was, sending it again emits nothing`);
		this.name = 'CommitOutcomeUnknown';
	}
}

/** Redis answered the command with an error: it ran (or refused to run) and replied. */
const isReplyError = (error: unknown) => error instanceof Error && error.name === 'ReplyError';

/**
 * Contacts in Redis. A request reads the keys of the contacts it names (and the server's
 * time) in one round trip, runs the decision on them, and commits it with the atomic step;
 * when another request changed one of its contacts in between, it reads and decides again.
 * So two processes can never both emit for one contact, and no update is lost. A commit whose
 * reply does not come is settled by asking Redis (`FENCE_SCRIPT`), so that a 503 always means
 * that nothing was kept. Nothing of the contacts is held in this process.
 */
export class RedisMemory implements ContactMemory {
	constructor(
		private readonly client: Redis,
		private readonly keys: KeySpace,
	) {}

	async transact(contactIds: string[], decide: (loaded: LoadedContacts) => Decision): Promise<Decision> {
		const contactKeys = contactIds.map((id) => this.keys.contact(id));
		return await inArrivalOrder(
			arrivalQueueOf(this.client),
			contactKeys,
			async () => await this.decideAndCommit(contactIds, contactKeys, decide),
			QUEUE_WAIT_MS,
			() => this.unavailable(`earlier requests for the same contact took longer than ${QUEUE_WAIT_MS} ms`),
		);
	}

	private async decideAndCommit(ids: string[], contactKeys: string[], decide: (loaded: LoadedContacts) => Decision): Promise<Decision> {
		for (let attempt = 1; ; attempt++) {
			const { serverTime, values } = await this.read(contactKeys);
			const decision = decide(decodeLoaded(ids, values));
			if (decision.refusal) return decision;
			if (await this.commit(ids, contactKeys, values, decision, serverTime + COMMIT_WINDOW_MS)) return decision;
			if (attempt === MAX_ATTEMPTS) throw this.unavailable(`the contacts kept changing while this request was decided (${MAX_ATTEMPTS} attempts)`);
			// another process committed first: wait a little (growing, with jitter) before reading again
			await sleep(Math.random() * 5 * attempt);
		}
	}

	private async read(contactKeys: string[]): Promise<{ serverTime: number; values: Array<string | null> }> {
		try {
			// EXEC fails as a whole (EXECABORT) when Redis refuses one of the commands, and without
			// WATCH it never returns null
			const [[, time], [, values]] = (await this.client.multi().time().mget(...contactKeys).exec()) as [
				[null, [string, string]],
				[null, Array<string | null>],
			];
			return { serverTime: millisOf(time), values };
		} catch (error) {
			throw this.unavailable(`Redis could not be read (${(error as Error).message})`);
		}
	}

	/**
	 * Runs the atomic step with the decision's writes and deletes, each contact checked against
	 * what was read: true when kept, false when a contact changed meanwhile. Throws
	 * `MemoryUnavailable` only when nothing was kept.
	 */
	private async commit(
		ids: string[],
		contactKeys: string[],
		read: Array<string | null>,
		decision: Decision,
		deadline: number,
	): Promise<boolean> {
		const { horizon, retentionMs, maxContacts } = decision.keep;
		const now = horizon + retentionMs;
		const receipt = this.keys.receipt(randomUUID());
		const args: string[] = [
			String(deadline),
			String(horizon),
			String(maxContacts),
			this.keys.contactPrefix,
			// the sorted set outlives every contact written now (events may lie up to a day ahead)
			String(now + retentionMs + MAX_CLOCK_SKEW_MS),
			String(RECEIPT_TTL_MS),
		];
		const written = new Map(decision.write.map((contact) => [contact.id, contact]));
		const forgotten = new Set(decision.forget);
		ids.forEach((id, index) => {
			const contact = written.get(id);
			if (contact) {
				const expiresAt = contact.lastSeenAt + retentionMs;
				args.push(read[index] ?? '', 's', encodeStoredContact(contact), String(expiresAt), String(contact.lastSeenAt), id);
			} else {
				args.push(read[index] ?? '', forgotten.has(id) ? 'd' : '', ...NOT_SET, id);
			}
		});
		const sentAt = Date.now();
		let reply: number;
		try {
			reply = await scriptOf<number>(this.client, COMMIT)(contactKeys.length + 2, this.keys.seen, receipt, ...contactKeys, ...args);
		} catch (error) {
			// an error reply comes from a script that wrote nothing; any other failure leaves it open
			if (isReplyError(error)) throw this.unavailable(`Redis refused the commit (${(error as Error).message})`);
			return await this.settle(receipt, deadline, sentAt, (error as Error).message);
		}
		if (reply === -1) throw this.unavailable('Redis took too long to commit');
		return reply === 1;
	}

	/** A commit got no reply: ask Redis whether it was kept, voiding it if not, until `OUTCOME_WAIT_MS` after it was sent. */
	private async settle(receipt: string, deadline: number, sentAt: number, failure: string): Promise<boolean> {
		const fence = scriptOf<string>(this.client, FENCE);
		let lastFailure = failure;
		for (;;) {
			const state = await fence(1, receipt, String(deadline), String(RECEIPT_TTL_MS)).catch((error: Error) => {
				lastFailure = error.message;
				return null;
			});
			if (state === 'kept') return true;
			if (state !== null) throw this.unavailable(`Redis did not answer the commit in time (${failure}); it was voided`);
			// Stryker disable next-line EqualityOperator: a millisecond either way
			if (Date.now() - sentAt >= OUTCOME_WAIT_MS) throw new CommitOutcomeUnknown(`${failure}, then ${lastFailure}`);
			await sleep(OUTCOME_PAUSE_MS);
		}
	}

	private unavailable(reason: string): MemoryUnavailable {
		return new MemoryUnavailable(reason, RETRY_AFTER_SECONDS);
	}
}

/** The contacts as read: each key's value decoded; a value that cannot be read counts as absent. */
function decodeLoaded(ids: string[], values: Array<string | null>): LoadedContacts {
	const contacts = new Map<string, Contact>();
	let unreadable = 0;
	values.forEach((value, index) => {
		if (value === null) return;
		const contact = decodeStoredContact(value, ids[index]);
		if (contact) contacts.set(ids[index], contact);
		else unreadable++;
	});
	return { contacts, unreadable };
}
