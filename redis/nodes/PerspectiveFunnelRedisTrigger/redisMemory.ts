import type Redis from 'ioredis';
import { sleep } from 'n8n-workflow';

import { Dictionary, decodeContacts, encodeContact, joinEncoded } from '../../../nodes/PerspectiveFunnel/funnel/codec';
import type { Decision, LoadedContacts } from '../../../nodes/PerspectiveFunnel/funnel/decide';
import { MAX_CLOCK_SKEW_MS } from '../../../nodes/PerspectiveFunnel/funnel/fields';
import { MemoryUnavailable, type ContactMemory } from '../../../nodes/PerspectiveFunnel/funnel/memory';
import type { Contact } from '../../../nodes/PerspectiveFunnel/funnel/types';

/** How long after its read a commit is still accepted, in the Redis server's own clock. */
export const COMMIT_WINDOW_MS = 2_000;
/** How often one request reads and decides again when other requests changed its contacts meanwhile. */
export const MAX_ATTEMPTS = 10;
/** What a 503 tells the sender to wait, in seconds. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The keys of one trigger node: `<prefix>:{<workflow id>:<node id>}:contact:<contact id>`
 * holds one contact (the compact stored form of codec.ts), `<prefix>:{…}:seen` is the
 * sorted set of the node's contact ids by last seen. The braces are a Redis Cluster hash
 * tag: all keys of one node live in one slot, so one script may touch them all.
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
}

/**
 * The atomic step, run by the Redis server as one script: if every contact key still holds
 * what this request read (and the server's clock is within the request's commit window),
 * write the changed contacts, each expiring when its retention ends, update the sorted set,
 * drop from it what retention already expired, and forget the least recently seen contacts
 * past Max Contacts. Returns 1 when committed, 0 when a contact changed since the read, -1
 * when the window has passed (the client may have given up and answered 503 already).
 *
 * KEYS: the sorted set, then one key per contact the request names.
 * ARGV: deadline (server ms), horizon (ms), max contacts, contact key prefix, sorted set
 *       expiry (ms); then per contact: expected value ('' when absent), operation
 *       ('' keep, 's' set, 'd' delete), new value, expiry (ms), last seen (ms), contact id.
 */
export const COMMIT_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if now > tonumber(ARGV[1]) then return -1 end
local n = #KEYS - 1
for i = 1, n do
  local current = redis.call('GET', KEYS[i + 1])
  if (current or '') ~= ARGV[5 + (i - 1) * 6 + 1] then return 0 end
end
for i = 1, n do
  local base = 5 + (i - 1) * 6
  local op = ARGV[base + 2]
  if op == 's' then
    redis.call('SET', KEYS[i + 1], ARGV[base + 3], 'PXAT', ARGV[base + 4])
    redis.call('ZADD', KEYS[1], ARGV[base + 5], ARGV[base + 6])
  elseif op == 'd' then
    redis.call('DEL', KEYS[i + 1])
    redis.call('ZREM', KEYS[1], ARGV[base + 6])
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[3])
if excess > 0 then
  local evicted = redis.call('ZPOPMIN', KEYS[1], excess)
  for j = 1, #evicted, 2 do redis.call('DEL', ARGV[4] .. evicted[j]) end
end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIREAT', KEYS[1], ARGV[5]) end
return 1
`;

/** ioredis calls the script by its SHA and loads it when the server does not know it yet. */
const COMMAND = 'perspectiveFunnelCommit';

type CommitCommand = (keyCount: number, ...keysAndArgs: string[]) => Promise<number>;

export function defineCommitCommand(client: Redis): void {
	client.defineCommand(COMMAND, { lua: COMMIT_SCRIPT });
}

/**
 * Requests on one connection (one per credential per process) that name a contact wait for
 * the earlier ones that name it, so that the atomic step's compare-and-set only ever races
 * with other processes: without this, 50 concurrent requests for one contact in one process
 * would each re-read up to 49 times. A request takes its place behind every earlier request
 * on any of its keys at once (synchronously), so the order is the order of arrival and no two
 * requests wait on each other.
 */
export type ArrivalQueue = Map<string, Promise<void>>;

const queues = new WeakMap<Redis, ArrivalQueue>();

function queueOf(client: Redis): ArrivalQueue {
	let queue = queues.get(client);
	if (!queue) {
		queue = new Map();
		queues.set(client, queue);
	}
	return queue;
}

export async function inArrivalOrder<T>(queueTails: ArrivalQueue, keys: string[], run: () => Promise<T>): Promise<T> {
	const earlier = new Set<Promise<void>>();
	for (const key of keys) {
		const tail = queueTails.get(key);
		if (tail) earlier.add(tail);
	}
	let release = () => undefined as void;
	const mine = new Promise<void>((resolve) => (release = resolve));
	for (const key of keys) queueTails.set(key, mine);
	try {
		await Promise.all(earlier);
		return await run();
	} finally {
		release();
		for (const key of keys) if (queueTails.get(key) === mine) queueTails.delete(key);
	}
}

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

/**
 * Contacts in Redis. A request reads the keys of the contacts it names (and the server's
 * time) in one round trip, runs the decision on them, and commits it with the atomic step;
 * when another request changed one of its contacts in between, it reads and decides again.
 * So two processes can never both emit for one contact, and no update is lost. Nothing of the
 * contacts is held in this process.
 */
export class RedisMemory implements ContactMemory {
	constructor(
		private readonly client: Redis,
		private readonly keys: KeySpace,
	) {}

	async transact(contactIds: string[], decide: (loaded: LoadedContacts) => Decision): Promise<Decision> {
		const contactKeys = contactIds.map((id) => this.keys.contact(id));
		return await inArrivalOrder(queueOf(this.client), contactKeys, async () => await this.decideAndCommit(contactIds, contactKeys, decide));
	}

	private async decideAndCommit(ids: string[], contactKeys: string[], decide: (loaded: LoadedContacts) => Decision): Promise<Decision> {
		for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
			// another process committed first: wait a little (growing, with jitter) before reading again
			if (attempt > 1) await sleep(Math.random() * 5 * attempt);
			const { serverTime, values } = await this.read(contactKeys);
			const decision = decide(decodeLoaded(ids, values));
			if (decision.refusal) return decision;
			const committed = await this.commit(ids, contactKeys, values, decision, serverTime);
			if (committed === 1) return decision;
			if (committed === -1) throw this.unavailable('Redis took too long to commit');
		}
		throw this.unavailable(`the contacts kept changing while this request was decided (${MAX_ATTEMPTS} attempts)`);
	}

	private async read(contactKeys: string[]): Promise<{ serverTime: number; values: Array<string | null> }> {
		let results: Array<[Error | null, unknown]> | null;
		try {
			results = await this.client.multi().time().mget(...contactKeys).exec();
		} catch (error) {
			throw this.unavailable(`Redis could not be read (${(error as Error).message})`);
		}
		const failed = results?.find(([error]) => error !== null);
		if (!results || failed) throw this.unavailable(`Redis could not be read (${failed?.[0]?.message ?? 'transaction aborted'})`);
		const [seconds, micros] = results[0][1] as [string, string];
		return {
			serverTime: Number(seconds) * 1000 + Math.floor(Number(micros) / 1000),
			values: results[1][1] as Array<string | null>,
		};
	}

	/** Runs the atomic step with the decision's writes and deletes, each contact checked against what was read. */
	private async commit(
		ids: string[],
		contactKeys: string[],
		read: Array<string | null>,
		decision: Decision,
		serverTime: number,
	): Promise<number> {
		const { horizon, retentionMs, maxContacts } = decision.keep;
		const now = horizon + retentionMs;
		const args: string[] = [
			String(serverTime + COMMIT_WINDOW_MS),
			String(horizon),
			String(maxContacts),
			this.keys.contactPrefix,
			// the sorted set outlives every contact written now (events may lie up to a day ahead)
			String(now + retentionMs + MAX_CLOCK_SKEW_MS),
		];
		const written = new Map(decision.write.map((contact) => [contact.id, contact]));
		const forgotten = new Set(decision.forget);
		ids.forEach((id, index) => {
			const contact = written.get(id);
			if (contact) {
				const expiresAt = contact.lastSeenAt + retentionMs;
				args.push(read[index] ?? '', 's', encodeStoredContact(contact), String(expiresAt), String(contact.lastSeenAt), id);
			} else {
				args.push(read[index] ?? '', forgotten.has(id) ? 'd' : '', '', '0', '0', id);
			}
		});
		const command = (this.client as unknown as Record<string, CommitCommand>)[COMMAND];
		try {
			return await command.call(this.client, contactKeys.length + 1, this.keys.seen, ...contactKeys, ...args);
		} catch (error) {
			throw this.unavailable(`Redis could not commit (${(error as Error).message})`);
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
