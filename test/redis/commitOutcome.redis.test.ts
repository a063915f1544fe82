/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published; ioredis is the Redis package's devDependency */
/**
 * A 503 means that nothing was kept, whatever happens to the commit's reply on the way back
 * (issue 20, item 2): a TCP proxy between the trigger and a real Redis holds a reply back,
 * holds a request back, cuts the connection after Redis committed, or silences Redis. The
 * request either learns the outcome (it asks Redis, voiding a commit that has not run) or,
 * when Redis stays silent, fails as unknown (500), never as 503. `npm run test:redis`.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import type { Redis } from 'ioredis';

import { MemoryUnavailable } from '../../nodes/PerspectiveFunnel/funnel/memory';
import { disconnectAll } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/connection';
import { PerspectiveFunnelRedisTrigger } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/PerspectiveFunnelRedisTrigger.node';
import {
	COMMIT_SCRIPT,
	CommitOutcomeUnknown,
	RedisMemory,
	decodeStoredContact,
} from '../../redis/nodes/PerspectiveFunnelRedisTrigger/redisMemory';
import { RedisServer } from '../../scripts/lib/redis';
import { leadEvent as lead, newLeadBody } from '../fixtures/perspective';
import { fakeWebhookContext, type FakeNode } from '../helpers/fakeWebhookContext';
import { PORTS } from './support/ports';
import { RedisProxy, type Misbehaviour } from './support/redisProxy';
import { apply, connect, emitted, freshKeys, minutes } from './support/memory';

const COMMIT_SHA = createHash('sha1').update(COMMIT_SCRIPT).digest('hex');
const isCommit = (request: string) => request.includes(COMMIT_SHA);
const RECENT = Date.now() - 60_000;

let server: RedisServer;
let proxy: RedisProxy;
/** The trigger's connection, through the proxy. */
let viaProxy: Redis;
/** A direct connection, to look at what Redis holds. */
let direct: Redis;

beforeAll(async () => {
	server = await RedisServer.start(PORTS.outcome);
	proxy = await RedisProxy.start(PORTS.outcomeProxy, PORTS.outcome);
	direct = connect(PORTS.outcome);
	viaProxy = connect(PORTS.outcomeProxy);
});

afterAll(async () => {
	viaProxy?.disconnect();
	direct?.disconnect();
	disconnectAll();
	await proxy?.close();
	await server?.stop();
});

/** A node whose commit misbehaves once, after a first request has loaded the scripts into Redis. */
async function nodeWhoseCommit(misbehaviour: Misbehaviour) {
	const keys = freshKeys();
	const memory = new RedisMemory(viaProxy, keys);
	await apply(memory, [lead('warm-up', minutes(1))]);
	proxy.arm(isCommit, misbehaviour);
	return { keys, memory };
}

const converted = async (key: string, id: string) => decodeStoredContact((await direct.get(key)) ?? '', id)?.convertedAt ?? null;

describe('the reply to a commit comes late, or not at all', () => {
	it('held back 3 s on the wire (longer than the 2.5 s command timeout): the lead is emitted, once; the retry emits nothing', async () => {
		const { memory } = await nodeWhoseCommit({ holdReplies: 3_000 });
		const first = await apply(memory, [lead('c1', minutes(2))]);
		expect(proxy.fired).toBeGreaterThan(0);
		expect(emitted(first)).toEqual(['c1:new_lead']);
		expect(emitted(await apply(memory, [lead('c1', minutes(2))]))).toEqual([]);
	});

	it('the connection is cut after Redis committed (a failover): the request asks again once reconnected, and emits', async () => {
		const { memory, keys } = await nodeWhoseCommit({ cutBeforeReply: true });
		const first = await apply(memory, [lead('c2', minutes(2))]);
		expect(emitted(first)).toEqual(['c2:new_lead']);
		expect(await converted(keys.contact('c2'), 'c2')).toBe(minutes(2));
		expect(emitted(await apply(memory, [lead('c2', minutes(2))]))).toEqual([]);
	});

	it('the commit reaches Redis 3 s late: refused on Redis’s clock, answered 503, nothing kept; the retry emits', async () => {
		const { memory, keys } = await nodeWhoseCommit({ holdRequest: 3_000 });
		const refused = new MemoryUnavailable('Redis did not answer the commit in time (Command timed out); it was voided', 5);
		await expect(apply(memory, [lead('c3', minutes(2))])).rejects.toThrow(refused);
		expect(await direct.exists(keys.contact('c3'))).toBe(0);
		expect(emitted(await apply(memory, [lead('c3', minutes(2))]))).toEqual(['c3:new_lead']);
	});

	it('the commit window is 2 s after the read: a commit 1.2 s late is kept, one 2.3 s late is refused', async () => {
		const slow = await nodeWhoseCommit({ holdRequest: 1_200 });
		expect(emitted(await apply(slow.memory, [lead('c4', minutes(2))]))).toEqual(['c4:new_lead']);
		const late = await nodeWhoseCommit({ holdRequest: 2_300 });
		await expect(apply(late.memory, [lead('c5', minutes(2))])).rejects.toThrow('Redis took too long to commit');
		expect(await direct.exists(late.keys.contact('c5'))).toBe(0);
	});
});

it('an unknown outcome reads as such when printed', () => {
	expect(String(new CommitOutcomeUnknown('Command timed out'))).toBe(
		'CommitOutcomeUnknown: Redis did not confirm whether this request was kept (Command timed out); if it was, sending it again emits nothing',
	);
});

describe('the node answers', () => {
	const trigger = new PerspectiveFunnelRedisTrigger();
	const node = (workflowId: string): FakeNode => ({
		workflowId,
		nodeId: 'node-o',
		staticData: {},
		credentials: { perspectiveFunnelRedisApi: { host: '127.0.0.1', port: PORTS.outcomeProxy } },
	});
	async function send(body: unknown, workflowId: string) {
		const { context, recorded } = fakeWebhookContext({ body }, node(workflowId));
		const result = await trigger.webhook.call(context);
		return { recorded, items: (result.workflowData?.[0] ?? []).map((item) => item.json as IDataObject) };
	}

	it('a reply held back 3 s: 200 with the lead, and the retry 200 with nothing', async () => {
		await send(newLeadBody({ id: 'warm', at: RECENT }), 'wfHeld');
		proxy.arm(isCommit, { holdReplies: 3_000 });
		const first = await send(newLeadBody({ id: 'c_held', at: RECENT }), 'wfHeld');
		const retry = await send(newLeadBody({ id: 'c_held', at: RECENT }), 'wfHeld');
		expect([first.recorded.status ?? 200, first.recorded.json]).toEqual([200, { received: 1, emitted: 1, ignored: 0, expired: 0 }]);
		expect(first.items.map((item) => item.event)).toEqual(['new_lead']);
		expect([retry.recorded.status ?? 200, retry.recorded.json]).toEqual([200, { received: 1, emitted: 0, ignored: 0, expired: 0 }]);
	});

	/** A commit of workflow `workflowId` that misbehaves once: the node's answer, what Redis kept, and the retry's answer. */
	async function commitThat(misbehaviour: Misbehaviour, workflowId: string) {
		await send(newLeadBody({ id: 'warm', at: RECENT }), workflowId);
		proxy.arm(isCommit, misbehaviour);
		const fired = proxy.fired;
		const answer = await send(newLeadBody({ id: 'c1', at: RECENT }), workflowId);
		expect(proxy.fired).toBe(fired + 1);
		const kept = await direct.exists(`perspective-funnel:{${workflowId}:node-o}:contact:c1`);
		const retry = await send(newLeadBody({ id: 'c1', at: RECENT }), workflowId);
		return { answer, kept, retry };
	}

	it('a commit that reaches Redis 2.3 s after its read (past its 2 s window, before the command timeout): 503 with Retry-After, nothing kept; the retry emits', async () => {
		const { answer, kept, retry } = await commitThat({ holdRequest: 2_300 }, 'wfLate');
		expect([answer.recorded.status, answer.recorded.headers['retry-after']]).toEqual([503, '5']);
		expect(answer.items).toEqual([]);
		expect(answer.recorded.logs).toEqual(['warn: Perspective Funnel Trigger: Redis took too long to commit; answered 503, nothing was emitted']);
		expect(kept).toBe(0);
		expect(retry.items.map((item) => item.event)).toEqual(['new_lead']);
	});

	it('a commit held 3 s on the way to Redis (the command times out, the request voids it): 503 with Retry-After, nothing kept; the retry emits', async () => {
		const { answer, kept, retry } = await commitThat({ holdRequest: 3_000 }, 'wfVoided');
		expect([answer.recorded.status, answer.recorded.headers['retry-after']]).toEqual([503, '5']);
		expect(answer.items).toEqual([]);
		expect(answer.recorded.logs).toEqual([
			'warn: Perspective Funnel Trigger: Redis did not answer the commit in time (Command timed out); it was voided; answered 503, nothing was emitted',
		]);
		expect(kept).toBe(0);
		expect(retry.items.map((item) => item.event)).toEqual(['new_lead']);
	});

	it('Redis silent after it committed: never 503; after about 10 s, 500 and nothing emitted (the lead was kept)', async () => {
		await send(newLeadBody({ id: 'warm', at: RECENT }), 'wfSilent');
		proxy.arm(isCommit, { silence: true });
		const started = Date.now();
		const answer = await send(newLeadBody({ id: 'c_silent', at: RECENT }), 'wfSilent');
		const waited = Date.now() - started;
		proxy.cutAll();
		expect(answer.recorded.status).toBe(500);
		expect(answer.items).toEqual([]);
		expect(answer.recorded.logs).toEqual([
			'error: Perspective Funnel Trigger could not handle a request: Redis did not confirm whether this request was kept (Command timed out, then Command timed out); if it was, sending it again emits nothing',
		]);
		expect(answer.recorded.logs.join('\n')).not.toContain('c_silent');
		expect(waited).toBeGreaterThanOrEqual(9_500);
		expect(waited).toBeLessThan(13_000);
		const key = 'perspective-funnel:{wfSilent:node-o}:contact:c_silent';
		expect(await converted(key, 'c_silent')).not.toBeNull();
	}, 30_000);
});
