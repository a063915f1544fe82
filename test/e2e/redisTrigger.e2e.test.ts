/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * The Perspective Funnel Redis Trigger (the package in redis/) inside a real n8n (line
 * N8N_LINE), installed beside the main package from its packed tarball, against a real
 * redis-server started here: the static-data trigger's scenarios, then what only Redis adds
 * (where the keys are, nothing in static data, Redis hung or stopped → 503, then once).
 */
import { execFileSync } from 'child_process';
import { Redis } from 'ioredis';
import { join } from 'path';

import { REDIS_PACKAGE_NAME } from '../../scripts/lib/n8n';
import { RedisServer } from '../../scripts/lib/redis';
import { redisCredential, triggerWorkflow } from '../../scripts/lib/workflows';
import { LINE, Suite, perspectiveBody } from './suite';
import { badInput, bothUrls, burst, events, replay, restart, session, type TriggerUnderTest } from './triggerScenarios';

const REDIS_PORT = LINE === '1' ? 6401 : 6402;
const N8N_PORT = LINE === '1' ? 5861 : 5862;
const MAIN = { id: 'e2eRedisWorkflow', webhookId: 'e2e-redis-main' };
const BURST = { id: 'e2eRedisBurstWf1', webhookId: 'e2e-redis-burst' };
const CREDENTIAL = 'e2eRedisCredent1';
/** The node's default key prefix, as the README gives it. */
const PREFIX = 'perspective-funnel';
const nodeKey = (workflowId: string) => `${PREFIX}:{${workflowId}:${workflowId}-trigger}`;

let redisServer: RedisServer;
let redis: Redis;
let suite: Suite;

beforeAll(async () => {
	redisServer = await RedisServer.start(REDIS_PORT);
	redis = new Redis({ host: '127.0.0.1', port: REDIS_PORT, lazyConnect: true, maxRetriesPerRequest: 1 });
	redis.on('error', () => undefined);
	suite = await Suite.start(
		'redisTrigger',
		N8N_PORT,
		[
			triggerWorkflow({ ...MAIN, name: 'E2E Redis main', redisCredentialId: CREDENTIAL }),
			triggerWorkflow({ ...BURST, name: 'E2E Redis burst', redisCredentialId: CREDENTIAL }),
		],
		[redisCredential(CREDENTIAL, REDIS_PORT)],
		// outside this repository, whose node_modules holds ioredis as a devDependency
		{ redisPackage: true, outsideRepository: true },
	);
});

afterAll(async () => {
	await suite?.stop();
	redis?.disconnect();
	await redisServer?.stop();
});

/** The ids of the contacts the node keeps in Redis for a workflow: its contact keys. */
async function contactIdsInRedis(workflowId: string): Promise<string[]> {
	const prefix = `${nodeKey(workflowId)}:contact:`;
	return (await redis.keys(`${PREFIX}:*`)).filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
}

const trigger: TriggerUnderTest = {
	suite: () => suite,
	main: MAIN,
	burst: BURST,
	// the node commits to Redis before it answers: no waiting needed
	storedContactIdsIncluding: contactIdsInRedis,
	storedContactIds: contactIdsInRedis,
};

/** Posts the body again while the node answers 503, as a sender honouring Retry-After would (faster). */
async function postUntilAccepted(url: string, body: unknown, attempts = 20) {
	const statuses: number[] = [];
	for (let attempt = 0; attempt < attempts; attempt++) {
		const reply = await suite.post(url, body);
		statuses.push(reply.status);
		if (reply.status !== 503) return { reply, statuses };
		await new Promise((done) => setTimeout(done, 500));
	}
	throw new Error(`still 503 after ${attempts} attempts: ${statuses.join(' ')}`);
}

/** One request while Redis cannot answer: 503 with Retry-After, nothing started; its raw answer. */
async function refusedWhileRedisIsAway(url: string, body: unknown) {
	const before = (await suite.executions(MAIN.id)).length;
	const started = Date.now();
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const answer = { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
	const seconds = (Date.now() - started) / 1000;
	expect(answer).toMatchObject({ status: 503, retryAfter: '5', body: { error: 'memory_unavailable' } });
	// the node gives up after its connect and command timeouts (2 s, 2.5 s), well before n8n would
	expect(seconds).toBeLessThan(10);
	expect((await suite.executions(MAIN.id)).length).toBe(before);
	return before;
}

describe(`n8n ${LINE}.x: the Redis trigger in a real n8n, with a real Redis`, () => {
	it('is installed where Node alone cannot resolve ioredis: n8n provides it (NODE_PATH)', () => {
		const packageDir = join(suite.n8n.options.userFolder, '.n8n', 'nodes', 'node_modules', REDIS_PACKAGE_NAME);
		const resolve = `try { console.log(require.resolve('ioredis', { paths: [${JSON.stringify(packageDir)}] })) } catch (error) { console.log(error.code) }`;
		const env = { PATH: process.env.PATH, HOME: suite.n8n.options.userFolder };
		expect(execFileSync(process.execPath, ['-e', resolve], { cwd: packageDir, env, encoding: 'utf8' }).trim()).toBe('MODULE_NOT_FOUND');
		// and yet n8n loaded the node: its webhook answers (the suite waited for it)
	});

	it(session.title, () => session.run(trigger));

	it(replay.title, () => replay.run(trigger));

	it(bothUrls.title, () => bothUrls.run(trigger));

	it(badInput.title, () => badInput.run(trigger));

	it(burst.title, () => burst.run(trigger));

	it(restart.title, () => restart.run(trigger));

	it('keeps every contact under <prefix>:{<workflow id>:<node id>}: in Redis, and nothing of them in static data', async () => {
		const keys = await redis.keys(`${PREFIX}:*`);
		// (and, for a minute after each commit, its receipt: commit:<token>)
		const pattern = /^perspective-funnel:\{(e2eRedisWorkflow|e2eRedisBurstWf1):\1-trigger\}:(seen|contact:.+|commit:[0-9a-f-]{36})$/;
		expect(keys.filter((key) => !pattern.test(key))).toEqual([]);
		const main = await contactIdsInRedis(MAIN.id);
		expect(main).toEqual(expect.arrayContaining(['s_1', 's_abandoned', 'p_replay', 'p_both', 'bad_1', 'restart_1']));
		expect(await contactIdsInRedis(BURST.id)).toHaveLength(24);
		// the sorted set by last seen holds exactly the contacts that have a key
		expect((await redis.zrange(`${nodeKey(MAIN.id)}:seen`, 0, -1)).sort()).toEqual([...main].sort());
		expect(await redis.type(`${nodeKey(MAIN.id)}:contact:s_1`)).toBe('string');
		// each key expires when the contact's retention (30 days by default) ends
		const ttlDays = (await redis.pttl(`${nodeKey(MAIN.id)}:contact:s_1`)) / 86_400_000;
		expect(ttlDays).toBeGreaterThan(29);
		expect(ttlDays).toBeLessThanOrEqual(30);
		for (const workflow of [MAIN, BURST]) {
			const staticData = JSON.stringify(await suite.db.staticData(workflow.id));
			expect({ workflow: workflow.id, staticData }).toEqual({ workflow: workflow.id, staticData: expect.not.stringMatching(/contacts|s_1|burst_0|p_replay/) });
			expect(await suite.storedContacts(workflow.id)).toEqual([]);
		}
	});

	it('answers 503 with Retry-After while Redis hangs, starts nothing; once Redis answers, the same request emits once', async () => {
		const url = suite.url(MAIN.webhookId);
		const body = perspectiveBody('hung_1', false);
		redisServer.pause();
		let before: number;
		try {
			before = await refusedWhileRedisIsAway(url, body);
		} finally {
			redisServer.resume();
		}
		const { reply } = await postUntilAccepted(url, body);
		expect(reply).toEqual({ status: 200, body: { received: 1, emitted: 1, ignored: 0, expired: 0 } });
		expect((await suite.post(url, body)).body).toMatchObject({ emitted: 0 });
		const added = (await suite.executions(MAIN.id, before + 1)).slice(before);
		expect(added.map((execution) => events(execution.items))).toEqual([['new_lead']]);
	});

	it('answers 503 with Retry-After while Redis is stopped, starts nothing; once Redis is back, the same request emits once', async () => {
		const url = suite.url(MAIN.webhookId);
		const body = perspectiveBody('down_1', false);
		await redisServer.stop();
		let before: number;
		try {
			before = await refusedWhileRedisIsAway(url, body);
			// and again, now that the node's connection knows Redis is gone
			await refusedWhileRedisIsAway(url, body);
		} finally {
			// a Redis without persistence comes back empty, as after a crash
			redisServer = await RedisServer.start(REDIS_PORT);
		}
		const { reply } = await postUntilAccepted(url, body);
		expect(reply).toEqual({ status: 200, body: { received: 1, emitted: 1, ignored: 0, expired: 0 } });
		expect((await suite.post(url, body)).body).toMatchObject({ emitted: 0 });
		const added = (await suite.executions(MAIN.id, before + 1)).slice(before);
		expect(added.map((execution) => events(execution.items))).toEqual([['new_lead']]);
		expect(await contactIdsInRedis(MAIN.id)).toEqual(['down_1']);
	});
});
