/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published; ioredis is the Redis package's devDependency */
/**
 * The commit script, all or nothing (issue 20, items 3 and 8): it checks everything before
 * its first write (the deadline, its receipt, every argument it would store, the sorted set's
 * type, every contact against what was read) and refuses anything Redis could not store; at
 * the settings' bounds (Retention 3,650 days, Max Contacts 1,000,000) it stores; the sorted
 * set is scored by last seen and expires; what it forgets and evicts. Called directly, and
 * through the memory. `npm run test:redis`.
 */
import type { Redis } from 'ioredis';

import { MAX_CLOCK_SKEW_MS } from '../../nodes/PerspectiveFunnel/funnel/fields';
import { MemoryUnavailable } from '../../nodes/PerspectiveFunnel/funnel/memory';
import { KeySpace, RedisMemory, decodeStoredContact } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/redisMemory';
import { RedisServer } from '../../scripts/lib/redis';
import { leadEvent as lead } from '../fixtures/perspective';
import { PORTS } from './support/ports';
import { DAY, NOW, SETTINGS, apply, connect, emitted, freshKeys, minutes } from './support/memory';

let server: RedisServer;
let client: Redis;

beforeAll(async () => {
	server = await RedisServer.start(PORTS.script);
	client = connect(PORTS.script);
});

afterAll(async () => {
	client?.disconnect();
	await server?.stop();
});

interface ContactArgs {
	id: string;
	expected?: string;
	op?: string;
	value?: string;
	expiresAt?: string;
	lastSeen?: string;
}

/** The commit script called as RedisMemory calls it; every bound valid unless a test says otherwise. */
async function commit(keys: KeySpace, contacts: ContactArgs[], bounds: Partial<Record<'deadline' | 'horizon' | 'maxContacts' | 'seenExpiry' | 'receiptTtl', string>> = {}, token = 't1') {
	const args = [
		bounds.deadline ?? String(Date.now() + 60_000),
		bounds.horizon ?? String(NOW - 30 * DAY),
		bounds.maxContacts ?? '10',
		keys.contactPrefix,
		bounds.seenExpiry ?? String(NOW + 31 * DAY),
		bounds.receiptTtl ?? '60000',
	];
	for (const contact of contacts) {
		args.push(
			contact.expected ?? '',
			contact.op ?? 's',
			contact.value ?? `value of ${contact.id}`,
			contact.expiresAt ?? String(NOW + 30 * DAY),
			contact.lastSeen ?? String(NOW),
			contact.id,
		);
	}
	const script = (client as unknown as Record<string, (...args: Array<string | number>) => Promise<number>>).perspectiveFunnelCommit;
	return await script.call(client, contacts.length + 2, keys.seen, keys.receipt(token), ...contacts.map((contact) => keys.contact(contact.id)), ...args);
}

async function fence(keys: KeySpace, token: string, deadline = String(Date.now() + 60_000)) {
	const script = (client as unknown as Record<string, (...args: Array<string | number>) => Promise<string>>).perspectiveFunnelFence;
	return await script.call(client, 1, keys.receipt(token), deadline, '60000');
}

/** Every key of the node, to show that nothing was written. */
const keysOf = async (keys: KeySpace) => (await client.keys(`${keys.node.replace(/[*?[\]\\]/g, '\\$&')}:*`)).sort();

describe('the commit script checks everything before its first write', () => {
	it('commits when every contact still holds what was read, and leaves a receipt', async () => {
		const keys = freshKeys();
		expect(await commit(keys, [{ id: 'c1' }, { id: 'c2' }])).toBe(1);
		expect(await client.mget(keys.contact('c1'), keys.contact('c2'))).toEqual(['value of c1', 'value of c2']);
		expect(await client.get(keys.receipt('t1'))).toBe('kept');
		expect(await fence(keys, 't1')).toBe('kept');
	});

	it('compares every contact, not only the first: the second changed since the read refuses the whole commit', async () => {
		const keys = freshKeys();
		await client.set(keys.contact('c2'), 'changed by another process');
		expect(await commit(keys, [{ id: 'c1' }, { id: 'c2', expected: '' }])).toBe(0);
		expect(await keysOf(keys)).toEqual([keys.contact('c2')]);
		expect(await commit(keys, [{ id: 'c1' }, { id: 'c2', expected: 'changed by another process' }])).toBe(1);
	});

	it('refuses when a contact it read was deleted meanwhile (forgotten by another process)', async () => {
		const keys = freshKeys();
		expect(await commit(keys, [{ id: 'c1', expected: 'what this request read' }])).toBe(0);
		expect(await keysOf(keys)).toEqual([]);
	});

	it('refuses once its deadline on Redis’s clock has passed, and writes nothing', async () => {
		const keys = freshKeys();
		expect(await commit(keys, [{ id: 'c1' }], { deadline: String(Date.now() - 1_000) })).toBe(-1);
		expect(await keysOf(keys)).toEqual([]);
	});

	it('refuses a commit whose receipt was voided first (it arrived after the request asked), and writes nothing else', async () => {
		const keys = freshKeys();
		expect(await fence(keys, 'late')).toBe('void');
		expect(await commit(keys, [{ id: 'c1' }], {}, 'late')).toBe(-1);
		expect(await keysOf(keys)).toEqual([keys.receipt('late')]);
		expect(await client.pttl(keys.receipt('late'))).toBeGreaterThan(55_000);
		// asked again (the first answer lost on the way), the fence still says void
		expect(await fence(keys, 'late')).toBe('void');
	});

	it('the fence refuses arguments it cannot use, and marks nothing', async () => {
		const keys = freshKeys();
		await expect(fence(keys, 't', 'soon')).rejects.toThrow(/perspective-funnel: malformed fence/);
		expect(await keysOf(keys)).toEqual([]);
	});

	it('voids without writing once the deadline has passed (so a full memory cannot keep it from answering)', async () => {
		const keys = freshKeys();
		await client.config('SET', 'maxmemory', '1');
		try {
			expect(await fence(keys, 'full', String(Date.now() - 1_000))).toBe('void');
			await expect(fence(keys, 'full-early')).rejects.toThrow(/OOM/);
		} finally {
			await client.config('SET', 'maxmemory', '0');
		}
	});

	it.each([
		['an expiry beyond what Redis holds', { expiresAt: '9223372036854775808' }],
		['an expiry in exponent form', { expiresAt: '1e+21' }],
		['an expiry of 16 digits', { expiresAt: '1000000000000000' }],
		['an expiry of zero', { expiresAt: '0' }],
		['a fractional expiry', { expiresAt: '1796476931000.5' }],
		['a last seen that is not a number', { lastSeen: 'NaN' }],
		['an empty value', { value: '' }],
		['an unknown operation', { op: 'x' }],
	])('refuses %s in the second contact with an error reply, before storing the first', async (_, second: Partial<ContactArgs>) => {
		const keys = freshKeys();
		await expect(commit(keys, [{ id: 'c1' }, { id: 'c2', ...second }])).rejects.toThrow(/perspective-funnel: /);
		expect(await keysOf(keys)).toEqual([]);
	});

	it.each([
		['a deadline', { deadline: 'soon' }],
		['a horizon', { horizon: '-1e400' }],
		['Max Contacts of 0', { maxContacts: '0' }],
		['a sorted set expiry beyond what Redis holds', { seenExpiry: '9223372036854775808' }],
		['a receipt lifetime of 0', { receiptTtl: '0' }],
	])('refuses %s it cannot use, with an error reply and no write', async (_, bounds) => {
		const keys = freshKeys();
		await expect(commit(keys, [{ id: 'c1' }], bounds)).rejects.toThrow(/perspective-funnel: /);
		expect(await keysOf(keys)).toEqual([]);
	});

	it('refuses when the sorted set key holds another type, before storing any contact', async () => {
		const keys = freshKeys();
		await client.set(keys.seen, 'not a sorted set');
		await expect(commit(keys, [{ id: 'c1' }, { id: 'c2' }])).rejects.toThrow(/perspective-funnel: /);
		expect(await keysOf(keys)).toEqual([keys.seen]);
	});

	it('refuses a malformed argument list', async () => {
		const keys = freshKeys();
		const script = (client as unknown as Record<string, (...args: Array<string | number>) => Promise<number>>).perspectiveFunnelCommit;
		await expect(script.call(client, 3, keys.seen, keys.receipt('t'), keys.contact('c1'), '1', '2')).rejects.toThrow(/malformed commit/);
	});
});

describe('what the commit script writes and forgets', () => {
	it('deletes a contact the decision forgets, from its key and from the sorted set', async () => {
		const keys = freshKeys();
		expect(await commit(keys, [{ id: 'c1' }, { id: 'c2' }])).toBe(1);
		expect(await commit(keys, [{ id: 'c1', expected: 'value of c1', op: 'd' }], {}, 't2')).toBe(1);
		expect(await client.exists(keys.contact('c1'))).toBe(0);
		expect(await client.zrange(keys.seen, 0, -1)).toEqual(['c2']);
	});

	it('drops from the sorted set the contacts last seen before the horizon, and keeps one seen exactly at it', async () => {
		const keys = freshKeys();
		const horizon = NOW - 30 * DAY;
		await client.zadd(keys.seen, horizon - 1, 'before', horizon, 'at', horizon + 1, 'after');
		expect(await commit(keys, [], { horizon: String(horizon) })).toBe(1);
		expect(await client.zrange(keys.seen, 0, -1)).toEqual(['at', 'after']);
	});

	it('past Max Contacts, evicts the least recently seen, key and entry', async () => {
		const keys = freshKeys();
		expect(await commit(keys, [{ id: 'old', lastSeen: String(NOW - 2_000) }, { id: 'mid', lastSeen: String(NOW - 1_000) }])).toBe(1);
		expect(await commit(keys, [{ id: 'new' }], { maxContacts: '2' }, 't2')).toBe(1);
		expect(await client.zrange(keys.seen, 0, -1)).toEqual(['mid', 'new']);
		expect(await client.exists(keys.contact('old'))).toBe(0);
		expect(await client.exists(keys.contact('mid'), keys.contact('new'))).toBe(2);
	});
});

describe('through the memory', () => {
	const LLONG_MAX = 2n ** 63n - 1n;

	it('at the settings’ bounds (Retention 3,650 days, Max Contacts 1,000,000) it stores, each key expiring at last seen + 3,650 days', async () => {
		const keys = freshKeys();
		const memory = new RedisMemory(client, keys);
		const settings = { ...SETTINGS, retentionDays: 3_650, maxContacts: 1_000_000 };
		const decision = await apply(memory, [lead('c1', minutes(1)), lead('c2', minutes(2))], settings);
		expect(emitted(decision)).toEqual(['c1:new_lead', 'c2:new_lead']);
		expect(await client.pexpiretime(keys.contact('c1'))).toBe(minutes(1) + 3_650 * DAY);
		expect(await client.pexpiretime(keys.contact('c2'))).toBe(minutes(2) + 3_650 * DAY);
		expect(await client.pexpiretime(keys.seen)).toBe(NOW + 3_650 * DAY + MAX_CLOCK_SKEW_MS);
	});

	it('a Retention Redis cannot store (1e12 days): 503, nothing kept', async () => {
		const keys = freshKeys();
		const memory = new RedisMemory(client, keys);
		await expect(apply(memory, [lead('c1', minutes(1))], { ...SETTINGS, retentionDays: 1e12 })).rejects.toBeInstanceOf(MemoryUnavailable);
		expect(await keysOf(keys)).toEqual([]);
	});

	it('a Retention at the edge of what Redis can store, two contacts in one request: nothing of either is kept', async () => {
		// whole days such that the first contact's expiry is at most 2^63 - 1 ms and the second's is past it
		const retentionDays = Math.floor((2 ** 63 - NOW) / DAY);
		const crossing = Number(2n ** 63n - BigInt(retentionDays) * BigInt(DAY));
		const [early, late] = [crossing - 10_000, crossing + 10_000];
		expect(BigInt(String(early + retentionDays * DAY)) <= LLONG_MAX).toBe(true);
		expect(BigInt(String(late + retentionDays * DAY)) > LLONG_MAX).toBe(true);
		const keys = freshKeys();
		const memory = new RedisMemory(client, keys);
		const settings = { ...SETTINGS, retentionDays };
		const request = apply(memory, [lead('c1', early), lead('c2', late)], settings, late + 1);
		await expect(request).rejects.toBeInstanceOf(MemoryUnavailable);
		expect(await keysOf(keys)).toEqual([]);
	});

	it('a sorted set key of another type: 503, and neither contact of the request is stored', async () => {
		const keys = freshKeys();
		await client.set(keys.seen, 'written by something else');
		const memory = new RedisMemory(client, keys);
		const refused = new MemoryUnavailable('Redis refused the commit (perspective-funnel: the sorted set key holds another type)', 5);
		await expect(apply(memory, [lead('c1', minutes(1)), lead('c2', minutes(2))])).rejects.toThrow(refused);
		expect(await client.exists(keys.contact('c1'), keys.contact('c2'))).toBe(0);
	});

	it('the sorted set holds each contact scored by its last visit, and expires one Retention (plus a day) after the request', async () => {
		const keys = freshKeys();
		const memory = new RedisMemory(client, keys);
		await apply(memory, [lead('c1', minutes(5))], { ...SETTINGS, retentionDays: 3 });
		expect(Number(await client.zscore(keys.seen, 'c1'))).toBe(minutes(5));
		expect(await client.pexpiretime(keys.seen)).toBe(NOW + 3 * DAY + MAX_CLOCK_SKEW_MS);
	});

	it('evicts by last visit, not by expiry, after Retention was lowered', async () => {
		const keys = freshKeys();
		const memory = new RedisMemory(client, keys);
		// c1 seen first under Retention 30 days; c2 seen later under Retention 3 days (it expires first)
		await apply(memory, [lead('c1', minutes(1))], { ...SETTINGS, retentionDays: 30, maxContacts: 2 });
		await apply(memory, [lead('c2', minutes(2))], { ...SETTINGS, retentionDays: 3, maxContacts: 2 });
		await apply(memory, [lead('c3', minutes(3))], { ...SETTINGS, retentionDays: 3, maxContacts: 2 });
		expect(await client.zrange(keys.seen, 0, -1)).toEqual(['c2', 'c3']);
		expect(await client.exists(keys.contact('c1'))).toBe(0);
		expect(decodeStoredContact((await client.get(keys.contact('c2'))) ?? '', 'c2')?.convertedAt).toBe(minutes(2));
	});
});
