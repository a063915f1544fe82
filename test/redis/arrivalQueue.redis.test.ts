/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published; ioredis is the Redis package's devDependency */
/**
 * The arrival queue of one connection (issue 20, items 7 and 8): requests for one contact in
 * one process run in the order they arrived, each deciding once; the queue holds nothing once
 * they are done; and while Redis hangs, a request waits behind the others at most
 * 2 s (QUEUE_WAIT_MS) before it answers 503 (the 5th of 5 no longer takes 12.5 s).
 * `npm run test:redis`.
 */
import type { Redis } from 'ioredis';

import { contactIdsOf, decide } from '../../nodes/PerspectiveFunnel/funnel/decide';
import type { ContactEvent } from '../../nodes/PerspectiveFunnel/funnel/types';
import { RedisMemory, arrivalQueueOf } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/redisMemory';
import { RedisServer } from '../../scripts/lib/redis';
import { answerEvent as answer, leadEvent as lead } from '../fixtures/perspective';
import { PORTS } from './support/ports';
import { NOW, SETTINGS, apply, connect, emitted, freshKeys, minutes } from './support/memory';

let server: RedisServer;
let client: Redis;

beforeAll(async () => {
	server = await RedisServer.start(PORTS.queue);
	client = connect(PORTS.queue);
});

afterAll(async () => {
	client?.disconnect();
	await server?.stop();
});

/** A request that records each time its decision is made. */
function counted(memory: RedisMemory, events: ContactEvent[], decided: number[], label: number) {
	return memory.transact(contactIdsOf(events, SETTINGS), (loaded) => {
		decided.push(label);
		return decide(loaded, events, SETTINGS, NOW);
	});
}

const answered = (index: number) => answer('c1', minutes(1 + index / 100), { fields: [{ path: `q${index}`, value: String(index), title: `Q${index}` }] });

describe('requests for one contact on one connection', () => {
	it('decide once each, in the order they arrived (no request races another of the same process)', async () => {
		const memory = new RedisMemory(client, freshKeys());
		const decided: number[] = [];
		await Promise.all(Array.from({ length: 50 }, (_, index) => counted(memory, [answered(index)], decided, index)));
		expect(decided).toEqual(Array.from({ length: 50 }, (_, index) => index));
		const decision = await apply(memory, [lead('c1', minutes(2))]);
		expect(decision.emissions[0].contact.fields).toHaveLength(51);
	});

	it('a request naming two contacts waits for the earlier requests of both', async () => {
		const memory = new RedisMemory(client, freshKeys());
		const decided: number[] = [];
		await Promise.all([
			counted(memory, [lead('c1', minutes(1))], decided, 1),
			counted(memory, [lead('c2', minutes(1))], decided, 2),
			counted(memory, [lead('c1', minutes(2)), lead('c2', minutes(2))], decided, 3),
			counted(memory, [lead('c2', minutes(3))], decided, 4),
		]);
		expect(decided).toEqual([1, 2, 3, 4]);
	});

	it('a request that arrives just as the first of them leaves still waits for the second (the first does not drop its place)', async () => {
		const memory = new RedisMemory(client, freshKeys());
		const decided: number[] = [];
		const first = counted(memory, [answered(1)], decided, 1);
		const second = counted(memory, [answered(2)], decided, 2);
		// arrives when the first is done and the second is reading
		const third = first.then(async () => await counted(memory, [answered(3)], decided, 3));
		await Promise.all([first, second, third]);
		expect(decided).toEqual([1, 2, 3]);
	});

	it('leave the queue empty once they are done, whatever their end: committed, refused, or thrown', async () => {
		const memory = new RedisMemory(client, freshKeys());
		const huge = answer('c1', minutes(1), { fields: Array.from({ length: 301 }, (_, index) => ({ path: `q${index}`, value: 'x', title: `Q${index}` })) });
		const throwing = memory.transact(['c1', 'c2'], () => {
			throw new Error('could not decide');
		});
		const results = await Promise.allSettled([apply(memory, [lead('c1', minutes(1))]), apply(memory, [huge]), throwing, apply(memory, [lead('c2', minutes(1))])]);
		expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
		expect(arrivalQueueOf(client).size).toBe(0);
	});
});

describe('while Redis hangs', () => {
	it('the 5th of 5 requests for one contact answers 503 within the 2.5 s command timeout, not after the four before it', async () => {
		const memory = new RedisMemory(client, freshKeys());
		await apply(memory, [lead('warm-up', minutes(1))]);
		server.pause();
		const started = Date.now();
		let results: Array<PromiseSettledResult<unknown> & { ms: number }>;
		try {
			results = await Promise.all(
				Array.from({ length: 5 }, async (_, index) => {
					const [result] = await Promise.allSettled([apply(memory, [answered(index)])]);
					return { ...result, ms: Date.now() - started };
				}),
			);
		} finally {
			server.resume();
		}
		expect(results.map((result) => result.status)).toEqual(Array(5).fill('rejected'));
		const reasons = results.map((result) => String((result as PromiseRejectedResult).reason));
		expect(reasons).toEqual([
			'MemoryUnavailable: Redis could not be read (Command timed out)',
			...Array(4).fill('MemoryUnavailable: earlier requests for the same contact took longer than 2000 ms'),
		]);
		expect(Math.max(...results.map((result) => result.ms))).toBeLessThan(3_500);
		// the four behind the first gave up after waiting 2 s
		expect(Math.min(...results.map((result) => result.ms))).toBeGreaterThanOrEqual(1_900);
		// the ones that gave up leave the queue once the request ahead of them is done
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(arrivalQueueOf(client).size).toBe(0);
		expect(emitted(await apply(memory, [lead('c1', minutes(2))]))).toEqual(['c1:new_lead']);
	});
});
