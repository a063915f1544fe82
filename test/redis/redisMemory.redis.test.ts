/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published; ioredis is the Redis package's devDependency */
/**
 * The Redis memory against a real Redis (Debian's redis-server, started here on 127.0.0.1):
 * the atomic step under contention from two connections (two n8n webhook processes), no
 * lost update, all or nothing, retention as expiry, Max Contacts, and the same decisions as
 * the static-data memory for generated event sequences. `npm run test:redis`.
 */
import fc from 'fast-check';
import { Redis } from 'ioredis';

import { contactIdsOf, decide, type Decision } from '../../nodes/PerspectiveFunnel/funnel/decide';
import { MemoryUnavailable, type ContactMemory } from '../../nodes/PerspectiveFunnel/funnel/memory';
import type { ContactEvent, FunnelEventName, TriggerSettings } from '../../nodes/PerspectiveFunnel/funnel/types';
import { ContactStore } from '../../nodes/PerspectiveFunnel/trigger/contactStore';
import { StaticDataMemory } from '../../nodes/PerspectiveFunnel/trigger/staticDataMemory';
import { clientFor, pingRedis, redisOptions } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/connection';
import {
	KeySpace,
	RedisMemory,
	decodeStoredContact,
	defineCommitCommand,
} from '../../redis/nodes/PerspectiveFunnelRedisTrigger/redisMemory';
import { RedisServer } from '../../scripts/lib/redis';
import { decodeContacts } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { answerEvent as answer, completionEvent, leadEvent as lead } from '../fixtures/perspective';

const PORT = Number(process.env.REDIS_TEST_PORT ?? 6391);
const DAY = 24 * 60 * 60 * 1000;
const BOTH: ReadonlySet<FunnelEventName> = new Set(['new_lead', 'funnel_completed']);
const SETTINGS: TriggerSettings = { events: BOTH, funnelNames: new Set(), retentionDays: 30, maxContacts: 10_000 };
// Redis expires a contact's key by its own clock (PXAT: last visit + Retention), so the visits
// here are of the last hour, not the fixtures' fixed 2026-11-27, or every key would be gone on
// arrival once Retention's 30 days are past that date.
const HOUR_AGO = Date.now() - 60 * 60_000;
const minutes = (n: number) => HOUR_AGO + n * 60_000;
const NOW = minutes(60);

const emitted = (decision: Decision) => decision.emissions.map((emission) => `${emission.contact.id}:${emission.event}`);
/** One production request: the memory loads the request's contacts, decides with them, commits. */
const apply = (memory: ContactMemory, events: ContactEvent[], settings = SETTINGS, now = NOW) =>
	memory.transact(contactIdsOf(events, settings), (loaded) => decide(loaded, events, settings, now));

let server: RedisServer;
/** Two connections, as two n8n webhook processes have. */
let first: Redis;
let second: Redis;
let workflow = 0;

/** A fresh node (its own keys) for each test. */
function node() {
	workflow++;
	const keys = new KeySpace('perspective-funnel-test', `wf${workflow}`, 'node');
	return { keys, a: new RedisMemory(first, keys), b: new RedisMemory(second, keys) };
}

function connect(): Redis {
	const client = new Redis({ ...redisOptions({ host: '127.0.0.1', port: PORT }), lazyConnect: false });
	defineCommitCommand(client);
	return client;
}

beforeAll(async () => {
	server = await RedisServer.start(PORT);
	first = connect();
	second = connect();
});

afterAll(async () => {
	first?.disconnect();
	second?.disconnect();
	await server?.stop();
});

describe('the atomic step under contention', () => {
	it('emits each New Lead exactly once when two processes receive it at the same moment, 1,000 times', async () => {
		const { a, b, keys } = node();
		const counts: number[] = [];
		for (let round = 0; round < 20; round++) {
			// 50 contacts per round, each lead sent to both processes at once: 100 requests in flight
			const pairs = Array.from({ length: 50 }, (_, index) => {
				const event = lead(`c${round * 50 + index}`, minutes(1));
				return Promise.all([apply(a, [event]), apply(b, [event])]);
			});
			for (const [left, right] of await Promise.all(pairs)) counts.push(left.emissions.length + right.emissions.length);
		}
		expect(counts).toHaveLength(1000);
		expect(counts.filter((count) => count !== 1)).toEqual([]);
		expect(await first.zcard(keys.seen)).toBe(1000);
	});

	it('loses no update: answers from two processes and then the lead, every field arrives', async () => {
		const { a, b } = node();
		const roof = answer('c1', minutes(1), { fields: [{ path: 'roof', value: 'Flat', title: 'Which roof?' }] });
		const size = answer('c1', minutes(2), { fields: [{ path: 'size', value: '120', title: 'How big?' }] });
		await Promise.all([apply(a, [roof]), apply(b, [size])]);
		const decision = await apply(a, [lead('c1', minutes(3))]);
		expect(emitted(decision)).toEqual(['c1:new_lead']);
		const fields = decision.emissions[0].contact.fields.map((field) => field.path).sort();
		expect(fields).toEqual(['email', 'roof', 'size']);
	});

	it('50 requests for one contact at once on one connection all succeed, in order of arrival', async () => {
		const { a } = node();
		const requests = Array.from({ length: 50 }, (_, index) =>
			apply(a, [answer('c1', minutes(1 + index), { fields: [{ path: `q${index}`, value: String(index), title: `Q${index}` }] })]),
		);
		await Promise.all(requests);
		const decision = await apply(a, [lead('c1', minutes(60))]);
		expect(decision.emissions[0].contact.fields).toHaveLength(51);
	});

	it('a replay after the lead emits nothing, from either process', async () => {
		const { a, b } = node();
		expect(emitted(await apply(a, [lead('c1', minutes(1))]))).toEqual(['c1:new_lead']);
		expect(emitted(await apply(b, [lead('c1', minutes(1))]))).toEqual([]);
		expect(emitted(await apply(a, [lead('c1', minutes(1))]))).toEqual([]);
	});
});

describe('all or nothing', () => {
	it('a refused event leaves every key as it was, the other contacts of the request too', async () => {
		const { a, keys } = node();
		const huge = answer('c2', minutes(2), {
			fields: Array.from({ length: 301 }, (_, index) => ({ path: `q${index}`, value: 'x', title: `Q${index}` })),
		});
		const decision = await apply(a, [lead('c1', minutes(1)), huge]);
		expect(decision.refusal?.index).toBe(1);
		expect(decision.emissions).toEqual([]);
		expect(await first.exists(keys.contact('c1'), keys.contact('c2'), keys.seen)).toBe(0);
	});

	it('when the decision throws, nothing is written, and a retry emits what the first try would have', async () => {
		const { a, keys } = node();
		await expect(
			a.transact(['c1'], () => {
				throw new Error('could not decide');
			}),
		).rejects.toThrow('could not decide');
		expect(await first.exists(keys.contact('c1'))).toBe(0);
		expect(emitted(await apply(a, [lead('c1', minutes(1))]))).toEqual(['c1:new_lead']);
	});

	it('refuses to commit once the commit window has passed, and writes nothing', async () => {
		const { keys } = node();
		const commit = (first as unknown as Record<string, (...args: Array<string | number>) => Promise<number>>)
			.perspectiveFunnelCommit;
		const args = ['1', '0', '10', keys.contactPrefix, String(NOW + DAY), '', 's', '[[]]', String(NOW + DAY), String(NOW), 'c1'];
		expect(await commit.call(first, 2, keys.seen, keys.contact('c1'), ...args)).toBe(-1);
		expect(await first.exists(keys.contact('c1'), keys.seen)).toBe(0);
	});
});

describe('retention and Max Contacts', () => {
	it('a contact key expires when its retention ends, counted from its last event', async () => {
		const { a, keys } = node();
		const now = Date.now();
		await apply(a, [lead('c1', now - 2 * DAY)], { ...SETTINGS, retentionDays: 3 }, now);
		const expiresAt = await first.pexpiretime(keys.contact('c1'));
		expect(Math.abs(expiresAt - (now - 2 * DAY + 3 * DAY))).toBeLessThan(5);
	});

	it('an event older than retention for an unknown contact is skipped and stores nothing', async () => {
		const { a, keys } = node();
		const decision = await apply(a, [lead('c1', NOW - 31 * DAY)]);
		expect(decision.expired).toBe(1);
		expect(await first.exists(keys.contact('c1'), keys.seen)).toBe(0);
	});

	it('past Max Contacts, the least recently seen contacts are forgotten, in the same step', async () => {
		const { a, keys } = node();
		const settings = { ...SETTINGS, maxContacts: 3 };
		for (let index = 1; index <= 5; index++) await apply(a, [lead(`c${index}`, minutes(index))], settings);
		expect(await first.zrange(keys.seen, 0, -1)).toEqual(['c3', 'c4', 'c5']);
		expect(await first.exists(keys.contact('c1'), keys.contact('c2'))).toBe(0);
		// a forgotten contact is new again, as with static data
		expect(emitted(await apply(a, [lead('c1', minutes(6))], settings))).toEqual(['c1:new_lead']);
	});

	it('a stored value that cannot be read is counted and replaced, not thrown', async () => {
		const { a, keys } = node();
		await first.set(keys.contact('c1'), 'not a contact');
		const decision = await apply(a, [lead('c1', minutes(1))]);
		expect(decision.unreadable).toBe(1);
		expect(emitted(decision)).toEqual(['c1:new_lead']);
		expect(decodeStoredContact((await first.get(keys.contact('c1'))) ?? '', 'c1')?.convertedAt).toBe(minutes(1));
	});
});

describe('the same decisions as the static-data memory', () => {
	// a Perspective ID too: the stored form spells it in 16 characters, Redis names its key by it
	const contactIds = ['c1', 'c2', '6385f2c1a7e0b1d2c3f4a5b6'];
	const eventArbitrary = fc.record({
		contact: fc.constantFrom(...contactIds),
		minute: fc.integer({ min: 0, max: 50 }),
		kind: fc.constantFrom('answer', 'lead', 'completion', 'leadBody', 'completedBody', 'unconvertedBody'),
	});
	const requestsArbitrary = fc.array(fc.array(eventArbitrary, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 });
	/** Perspective's webhook body at `minute`: the whole profile, which the memories do not keep. */
	const body = (contact: string, minute: number, converted: boolean, completed: boolean): ContactEvent => ({
		source: 'snapshot',
		contactId: contact,
		funnelName: 'Solar check',
		at: minutes(minute),
		createdAt: minutes(0),
		globalId: `g_${contact}`,
		fields: [{ path: 'firstName', value: 'Ada', title: 'First name' }, ...(converted ? [{ path: 'email', value: `${contact}@example.com`, title: 'Email' }] : [])],
		results: completed ? ['Good fit'] : [],
		...(converted ? { convertedAt: minutes(Math.max(0, minute - 1)) } : {}),
		...(completed ? { completedAt: minutes(minute) } : {}),
	});
	const toEvent = ({ contact, minute, kind }: { contact: string; minute: number; kind: string }): ContactEvent => {
		if (kind === 'lead') return lead(contact, minutes(minute));
		if (kind === 'completion') return completionEvent(contact, minutes(minute));
		if (kind === 'leadBody') return body(contact, minute, true, false);
		if (kind === 'completedBody') return body(contact, minute, true, true);
		if (kind === 'unconvertedBody') return body(contact, minute, false, true);
		return answer(contact, minutes(minute), { fields: [{ path: `q${minute}`, value: String(minute), title: `Q${minute}` }] });
	};

	it('emits the same items, request by request, and keeps the same contacts, for generated sequences of webhook bodies and response events', async () => {
		let run = 0;
		await fc.assert(
			fc.asyncProperty(requestsArbitrary, fc.integer({ min: 1, max: 3 }), async (requests, maxContacts) => {
				run++;
				const { a, keys } = node();
				const staticData: Record<string, unknown> = {};
				const staticMemory = new StaticDataMemory(staticData, new ContactStore(`equivalence-${run}`));
				const settings = { ...SETTINGS, maxContacts };
				for (const request of requests) {
					const events = request.map(toEvent);
					const fromRedis = await apply(a, events, settings);
					const fromStatic = await apply(staticMemory, events, settings);
					expect(fromRedis.emissions).toEqual(fromStatic.emissions);
					expect(fromRedis.expired).toBe(fromStatic.expired);
				}
				// both forget the same contacts past Max Contacts (ties in last visit included) and keep the same of the others
				const inRedis = await Promise.all(
					(await first.zrange(keys.seen, 0, -1)).map(async (id) => decodeStoredContact((await first.get(keys.contact(id))) ?? '', id)),
				);
				const inStaticData = decodeContacts((staticData.contacts as string | undefined) ?? '[[]]').contacts;
				const byId = (x: { id: string } | null, y: { id: string } | null) => ((x?.id ?? '') < (y?.id ?? '') ? -1 : 1);
				expect(inRedis.sort(byId)).toEqual(inStaticData.sort(byId));
				const strays = contactIds.filter((id) => !inStaticData.some((contact) => contact.id === id)).map((id) => keys.contact(id));
				if (strays.length > 0) expect(await first.exists(...strays)).toBe(0);
			}),
			{ numRuns: 200 },
		);
	});
});

describe('when Redis is unavailable', () => {
	it('answers MemoryUnavailable within the bounded timeout when nothing listens, and reconnects later', async () => {
		const port = PORT + 1;
		const client = clientFor({ host: '127.0.0.1', port });
		const memory = new RedisMemory(client, new KeySpace('perspective-funnel-test', 'down', 'node'));
		const started = Date.now();
		await expect(apply(memory, [lead('c1', minutes(1))])).rejects.toBeInstanceOf(MemoryUnavailable);
		const waited = Date.now() - started;
		const later = await RedisServer.start(port);
		try {
			let decision: Decision | undefined;
			for (let attempt = 0; attempt < 50 && !decision; attempt++) {
				decision = await apply(memory, [lead('c1', minutes(1))]).catch(() => undefined);
				if (!decision) await new Promise((resolve) => setTimeout(resolve, 200));
			}
			expect(emitted(decision as Decision)).toEqual(['c1:new_lead']);
		} finally {
			client.disconnect();
			await later.stop();
		}
		console.log(`Redis down: MemoryUnavailable after ${waited} ms`);
	});

	it('answers MemoryUnavailable when Redis hangs, and what was sent changes nothing after it wakes', async () => {
		const { a, keys } = node();
		server.pause();
		try {
			await expect(apply(a, [lead('c1', minutes(1))])).rejects.toBeInstanceOf(MemoryUnavailable);
		} finally {
			server.resume();
		}
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(await second.exists(keys.contact('c1'))).toBe(0);
	});

	it('the credential test pings, and names host, port and database without the password when it cannot', async () => {
		expect(await pingRedis({ host: '127.0.0.1', port: PORT })).toBeNull();
		const problem = await pingRedis({ host: '127.0.0.1', port: PORT + 2, password: 's3cret-password' });
		expect(problem).toContain(`127.0.0.1:${PORT + 2} (database 0)`);
		expect(problem).not.toContain('s3cret-password');
	});
});
