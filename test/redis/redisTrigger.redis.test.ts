/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published; ioredis is the Redis package's devDependency */
/**
 * The Perspective Funnel Redis Trigger node itself (its webhook method, n8n's side faked)
 * against a real Redis: the whole request pipeline with the Redis memory, and that nothing of
 * the contacts lands in static data. `npm run test:redis`.
 */
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';
import { Redis } from 'ioredis';

import { disconnectAll } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/connection';
import { PerspectiveFunnelRedisTrigger } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/PerspectiveFunnelRedisTrigger.node';
import { RedisServer } from '../../scripts/lib/redis';
import { newLeadBody } from '../fixtures/perspective';
import { fakeWebhookContext, type FakeNode, type FakeRequest } from '../helpers/fakeWebhookContext';
import { liveNode, sendToTrigger } from '../helpers/sendToTrigger';
import { PORTS } from './support/ports';

const PORT = PORTS.trigger;
const trigger = new PerspectiveFunnelRedisTrigger();
let server: RedisServer;
let inspector: Redis;

const redisNode = (extra: FakeNode = {}): FakeNode => ({
	workflowId: 'wfRedis',
	nodeId: 'node-r',
	staticData: {},
	tokenCredential: 'perspectiveFunnelRedisWebhookApi',
	credentials: { perspectiveFunnelRedisApi: { host: '127.0.0.1', port: PORT, database: 0 } },
	...extra,
});

async function send(request: FakeRequest, node: FakeNode) {
	const { context, recorded, staticData } = fakeWebhookContext(request, node);
	const result: IWebhookResponseData = await trigger.webhook.call(context);
	const items = (result.workflowData?.[0] ?? []).map((item) => item.json as IDataObject);
	return { recorded, staticData, items };
}

beforeAll(async () => {
	server = await RedisServer.start(PORT);
	inspector = new Redis({ host: '127.0.0.1', port: PORT });
});

afterAll(async () => {
	disconnectAll();
	inspector?.disconnect();
	await server?.stop();
});

describe('the Redis trigger node against a real Redis', () => {
	it('emits a New Lead once, keeps it under its key prefix, and writes nothing into static data', async () => {
		const node = redisNode({ parameters: { options: { keyPrefix: 'pf-test' } } });
		const first = await send({ body: newLeadBody({ id: 'c_7' }) }, node);
		const replay = await send({ body: newLeadBody({ id: 'c_7' }) }, node);
		expect(first.items.map((item) => item.event)).toEqual(['new_lead']);
		expect(first.recorded.json).toEqual({ received: 1, emitted: 1, ignored: 0, expired: 0 });
		expect(replay.items).toEqual([]);
		expect(replay.recorded.json).toEqual({ received: 1, emitted: 0, ignored: 0, expired: 0 });
		expect(node.staticData).toEqual({});
		const keys = (await inspector.keys('pf-test:*')).sort();
		expect(keys.filter((key) => !key.includes(':commit:'))).toEqual(['pf-test:{wfRedis:node-r}:contact:c_7', 'pf-test:{wfRedis:node-r}:seen']);
		// and one receipt per commit, for a minute
		const receipts = keys.filter((key) => key.startsWith('pf-test:{wfRedis:node-r}:commit:'));
		expect(receipts).toHaveLength(2);
		for (const receipt of receipts) expect(await inspector.pttl(receipt)).toBeGreaterThan(50_000);
	});

	it('checks the token against its own webhook credential', async () => {
		const node = redisNode({ parameters: { authentication: 'secretToken' }, secretToken: 'a-long-enough-secret-token' });
		const refused = await send({ body: newLeadBody({ id: 'c_8' }), query: { token: 'wrong-token-wrong-token' } }, node);
		const accepted = await send({ body: newLeadBody({ id: 'c_8' }), query: { token: 'a-long-enough-secret-token' } }, node);
		expect(refused.recorded.status).toBe(401);
		expect(accepted.items.map((item) => item.event)).toEqual(['new_lead']);
	});

	it('answers 503 with Retry-After when its Redis is unreachable, and emits the same request once Redis answers', async () => {
		const down = redisNode({ workflowId: 'wfDown', credentials: { perspectiveFunnelRedisApi: { host: '127.0.0.1', port: PORTS.triggerUnreachable } } });
		const refused = await send({ body: newLeadBody({ id: 'c_9' }) }, down);
		expect(refused.recorded.status).toBe(503);
		expect(refused.recorded.headers['retry-after']).toBe('5');
		expect(refused.items).toEqual([]);
		const up = await send({ body: newLeadBody({ id: 'c_9' }) }, redisNode({ workflowId: 'wfDown' }));
		expect(up.items.map((item) => item.event)).toEqual(['new_lead']);
	});

	it("keeps its keys in the credential's database, not in database 0", async () => {
		const node = redisNode({ workflowId: 'wfDb3', credentials: { perspectiveFunnelRedisApi: { host: '127.0.0.1', port: PORT, database: 3 } } });
		const first = await send({ body: newLeadBody({ id: 'c_db', at: Date.now() - 60_000 }) }, node);
		expect(first.items.map((item) => item.event)).toEqual(['new_lead']);
		const database3 = new Redis({ host: '127.0.0.1', port: PORT, db: 3 });
		try {
			expect(await database3.exists('perspective-funnel:{wfDb3:node-r}:contact:c_db')).toBe(1);
		} finally {
			database3.disconnect();
		}
		expect(await inspector.keys('perspective-funnel:{wfDb3:*')).toEqual([]);
	});

	it('drops braces from the Key Prefix, so that a prefix cannot move the hash tag', async () => {
		const node = redisNode({ workflowId: 'wfBrace', parameters: { options: { keyPrefix: ' p{f}x ' } } });
		await send({ body: newLeadBody({ id: 'c_b', at: Date.now() - 60_000 }) }, node);
		expect(await inspector.exists('pfx:{wfBrace:node-r}:contact:c_b')).toBe(1);
		expect(await inspector.keys('*{f}*')).toEqual([]);
	});

	it('keys a workflow without an ID and a node without one (n8n before 1.0) under an empty ID and the node name', async () => {
		const { context } = fakeWebhookContext({ body: newLeadBody({ id: 'c_anon', at: Date.now() - 60_000 }) }, redisNode());
		const anonymous = { ...context, getWorkflow: () => ({}), getNode: () => ({ name: 'Funnel' }) } as unknown as typeof context;
		await trigger.webhook.call(anonymous);
		expect(await inspector.exists('perspective-funnel:{:Funnel}:contact:c_anon')).toBe(1);
	});
});

describe('the same answer as the static-data trigger for a setting past its bound', () => {
	const DAY = 86_400_000;

	it.each<[string, Record<string, unknown>, number]>([
		['Retention (Days) 1e12, a lead of 40 days ago', { retentionDays: 1e12 }, 40],
		['Max Contacts 1e12, a lead of yesterday', { maxContacts: 1e12 }, 1],
		['both 1e12, a lead of 40 days ago', { retentionDays: 1e12, maxContacts: 1e12 }, 40],
	])('%s: 200 and the same items from both', async (_name, options, daysAgo) => {
		const at = Date.now() - daysAgo * DAY;
		const id = `c_bound_${Object.keys(options).join('_')}`;
		const body = newLeadBody({ id, at });
		const fromStatic = await sendToTrigger({ body }, liveNode({ parameters: { options } }));
		const fromRedis = await send({ body }, redisNode({ workflowId: 'wfBound', parameters: { options } }));
		expect({ status: fromRedis.recorded.status, json: fromRedis.recorded.json, items: fromRedis.items }).toEqual({
			status: fromStatic.recorded.status,
			json: fromStatic.recorded.json,
			items: fromStatic.items,
		});
		expect(fromStatic.items.map((item) => item.event)).toEqual(['new_lead']);
		// Retention counts as its bound, 3,650 days, in Redis's expiry as in static data
		const retentionDays = 'retentionDays' in options ? 3_650 : 30;
		expect(await inspector.pexpiretime(`perspective-funnel:{wfBound:node-r}:contact:${id}`)).toBe(at + retentionDays * DAY);
	});
});
