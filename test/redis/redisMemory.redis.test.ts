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
import { MemoryUnavailable } from '../../nodes/PerspectiveFunnel/funnel/memory';
import type { ContactEvent } from '../../nodes/PerspectiveFunnel/funnel/types';
import { ContactStore } from '../../nodes/PerspectiveFunnel/trigger/contactStore';
import { StaticDataMemory } from '../../nodes/PerspectiveFunnel/trigger/staticDataMemory';
import { clientFor } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/connection';
import { Dictionary, decodeContacts, encodeContact, joinEncoded } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { KeySpace, RedisMemory, decodeStoredContact, defineScripts, encodeStoredContact, millisOf } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/redisMemory';
import { RedisServer } from '../../scripts/lib/redis';
import { answerEvent as answer, completionEvent, leadEvent as lead } from '../fixtures/perspective';
import { PORTS } from './support/ports';
import { DAY, NOW, SETTINGS, apply, connect, emitted, freshKeys, minutes } from './support/memory';

const PORT = PORTS.memory;

/** A converted contact as a memory stores it. */
const storedLead = (id: string) => decide({ contacts: new Map(), unreadable: 0 }, [lead(id, minutes(1))], SETTINGS, NOW).write[0];

let server: RedisServer;
/** Two connections, as two n8n webhook processes have. */
let first: Redis;
let second: Redis;

/** A fresh node (its own keys) for each test. */
function node() {
	const keys = freshKeys();
	return { keys, a: new RedisMemory(first, keys), b: new RedisMemory(second, keys) };
}

beforeAll(async () => {
	server = await RedisServer.start(PORT);
	first = connect(PORT);
	second = connect(PORT);
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

	it('requests naming several contacts, raced by two processes: each lead once, no answer lost, whichever contact changed', async () => {
		const { a, b } = node();
		const counts = new Map<string, number>();
		for (let round = 0; round < 10; round++) {
			// process a names its own contact first, then one that b changes at the same moment
			const requests = Array.from({ length: 20 }, (_, index) => {
				const shared = `s${round}.${index}`;
				const own = `own${round}.${index}`;
				const roof = answer(shared, minutes(1), { fields: [{ path: 'roof', value: 'Flat', title: 'Which roof?' }] });
				return [apply(a, [lead(own, minutes(1)), roof, lead(shared, minutes(2))]), apply(b, [answer(shared, minutes(1), { fields: [{ path: 'size', value: '120', title: 'How big?' }] }), lead(shared, minutes(2))])];
			});
			for (const decision of await Promise.all(requests.flat())) {
				for (const emission of decision.emissions) {
					const key = `${emission.contact.id}:${emission.event}`;
					counts.set(key, (counts.get(key) ?? 0) + 1);
				}
			}
			const later = await Promise.all(Array.from({ length: 20 }, (_, index) => apply(a, [completionEvent(`s${round}.${index}`, minutes(3))])));
			// both processes' answers arrived: the one whose commit came second re-read the other's
			const lost = later.filter((decision) => {
				const paths = decision.emissions[0]?.contact.fields.map((field) => field.path) ?? [];
				return !(paths.includes('roof') && paths.includes('size'));
			});
			expect(lost).toEqual([]);
		}
		expect([...counts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
		expect(counts.size).toBe(400);
	});

	it('a request whose contact changes under it ten times in a row answers 503, having decided ten times and backed off in between', async () => {
		const { a, keys } = node();
		const events = [lead('c1', minutes(1))];
		let decisions = 0;
		const started = Date.now();
		const request = a.transact(contactIdsOf(events, SETTINGS), (loaded) => {
			decisions++;
			// sent on the memory's own connection, so it reaches Redis before this attempt's commit
			void first.set(keys.contact('c1'), `changed by another process ${decisions}`);
			return decide(loaded, events, SETTINGS, NOW);
		});
		await expect(request).rejects.toThrow(/^the contacts kept changing while this request was decided \(10 attempts\)$/);
		expect(decisions).toBe(10);
		// pauses of up to 5 ms × the attempt, 135 ms on average over the nine
		expect(Date.now() - started).toBeGreaterThanOrEqual(40);
		expect(await first.exists(keys.seen)).toBe(0);
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
		// not even a receipt: the refused decision is not committed at all
		expect(await first.keys(`${keys.node}:*`)).toEqual([]);
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

	it('a contact the decision forgets (its newest event is past a lowered Retention) loses its key and its entry', async () => {
		const { a, keys } = node();
		const now = Date.now();
		await apply(a, [lead('c1', now - 40 * DAY)], { ...SETTINGS, retentionDays: 60 }, now);
		expect(await first.zscore(keys.seen, 'c1')).not.toBeNull();
		const decision = await apply(a, [answer('c1', now - 35 * DAY)], { ...SETTINGS, retentionDays: 30 }, now);
		expect(decision.forget).toEqual(['c1']);
		expect(await first.exists(keys.contact('c1'))).toBe(0);
		expect(await first.zscore(keys.seen, 'c1')).toBeNull();
	});

	it.each([
		['the record of another contact', () => encodeStoredContact(storedLead('c2'))],
		['two records', () => {
			const dictionary = new Dictionary();
			return joinEncoded(dictionary, [encodeContact(storedLead('c1'), dictionary), encodeContact(storedLead('c2'), dictionary)]);
		}],
	])('a key holding %s counts as unreadable, and the contact as new', async (_, value) => {
		const { a, keys } = node();
		await first.set(keys.contact('c1'), value());
		const decision = await apply(a, [lead('c1', minutes(2))]);
		expect(decision.unreadable).toBe(1);
		expect(emitted(decision)).toEqual(['c1:new_lead']);
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
	/** Events of `contactIds` at minutes 0 to `lastMinute`, in requests. */
	const requestsOf = (contactIds: string[], lastMinute: number) =>
		fc.array(
			fc.array(
				fc.record({
					contact: fc.constantFrom(...contactIds),
					minute: fc.integer({ min: 0, max: lastMinute }),
					kind: fc.constantFrom('answer', 'lead', 'completion', 'leadBody', 'completedBody', 'unconvertedBody'),
				}),
				{ minLength: 1, maxLength: 4 },
			),
			{ minLength: 1, maxLength: 6 },
		);
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

	it.each<[string, string[], number]>([
		// a Perspective ID too: the stored form spells it in 16 characters, Redis names its key by it
		['IDs of ASCII, minutes 0 to 50', ['c1', 'c2', '6385f2c1a7e0b1d2c3f4a5b6'], 50],
		// each side of the border where UTF-16 order (JavaScript's <) and UTF-8 order (Redis's) differ,
		// at few distinct times, so that Max Contacts often chooses between contacts seen at once
		['IDs from U+E000 to U+FFFF and past U+FFFF, minutes 0 to 2 (ties in last visit)', ['\uff61', '\u{1f600}', '\ue000', '\u{10000}', 'c\uffff'], 2],
	])('emits the same items, request by request, and keeps the same contacts, for generated sequences of webhook bodies and response events: %s', async (_name, contactIds, lastMinute) => {
		let run = 0;
		await fc.assert(
			fc.asyncProperty(requestsOf(contactIds, lastMinute), fc.integer({ min: 1, max: 3 }), async (requests, maxContacts) => {
				run++;
				const { a, keys } = node();
				const staticData: Record<string, unknown> = {};
				const staticMemory = new StaticDataMemory(staticData, new ContactStore(`equivalence-${contactIds.length}-${run}`));
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
		const port = PORTS.memoryLater;
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

	it('answers MemoryUnavailable when Redis refuses the read (an ACL user without MGET), and writes nothing', async () => {
		await first.acl('SETUSER', 'no-mget', 'on', '>no-mget-password', '~*', '+@all', '-mget');
		const limited = new Redis({ host: '127.0.0.1', port: PORT, username: 'no-mget', password: 'no-mget-password' });
		try {
			defineScripts(limited);
			const keys = freshKeys();
			await expect(apply(new RedisMemory(limited, keys), [lead('c1', minutes(1))])).rejects.toThrow(/^Redis could not be read \(EXECABORT/);
			expect(await first.keys(`${keys.node}:*`)).toEqual([]);
		} finally {
			limited.disconnect();
		}
	});

	it('answers MemoryUnavailable within the 2.5 s command timeout when Redis hangs, and what was sent changes nothing after it wakes', async () => {
		const { a, keys } = node();
		server.pause();
		const started = Date.now();
		try {
			await expect(apply(a, [lead('c1', minutes(1))])).rejects.toThrow(new MemoryUnavailable('Redis could not be read (Command timed out)', 5));
		} finally {
			server.resume();
		}
		expect(Date.now() - started).toBeGreaterThanOrEqual(2_400);
		expect(Date.now() - started).toBeLessThan(3_500);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(await second.exists(keys.contact('c1'))).toBe(0);
	});
});

describe("Redis's clock", () => {
	it('reads TIME (seconds, microseconds) as whole milliseconds', () => {
		expect(millisOf(['1796476931', '999999'])).toBe(1_796_476_931_999);
		expect(millisOf(['1796476931', '1000'])).toBe(1_796_476_931_001);
	});
});
