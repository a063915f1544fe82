/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published; ioredis is the Redis package's devDependency */
/**
 * Redis as production runs it (issue 20, item 6): the credential test reads INFO (and CONFIG
 * GET save when allowed) and fails, so that n8n's editor shows it, when the eviction policy
 * could evict contact keys or when neither RDB nor AOF is on; a managed Redis that refuses
 * CONFIG is not failed for what cannot be read. `npm run test:redis`.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';
import { Redis } from 'ioredis';

import { checkRedis, credentialTestMessage } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/connection';
import { PerspectiveFunnelRedisTrigger } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/PerspectiveFunnelRedisTrigger.node';
import { RedisServer } from '../../scripts/lib/redis';
import { PORTS } from './support/ports';

const PORT = PORTS.production;

/** The node's credential test, as n8n calls it. */
async function credentialTest(data: Record<string, unknown>) {
	const test = new PerspectiveFunnelRedisTrigger().methods.credentialTest.redisConnection;
	return await test.call({} as ICredentialTestFunctions, { id: 'c', name: 'Redis', type: 'perspectiveFunnelRedisApi', data } as ICredentialsDecrypted);
}

/** Runs `check` against a Redis started with `args`. */
async function withRedis<T>(args: string[], check: () => Promise<T>): Promise<T> {
	const server = await RedisServer.start(PORT, args);
	try {
		return await check();
	} finally {
		await server.stop();
	}
}

const here = { host: '127.0.0.1', port: PORT };

describe('the credential test reads how Redis is run', () => {
	it('passes a Redis with noeviction and RDB snapshots', async () => {
		const answer = await withRedis(['--save', '3600 1'], async () => await credentialTest(here));
		expect(answer).toEqual({ status: 'OK', message: 'Redis answered PING and keeps what the trigger writes.' });
	});

	it('passes a Redis with noeviction and AOF', async () => {
		const fitness = await withRedis(['--appendonly', 'yes'], async () => await checkRedis(here));
		expect(fitness).toEqual({ reachable: true, problems: [], unchecked: [] });
	});

	it.each(['allkeys-lru', 'volatile-lru', 'volatile-ttl', 'allkeys-random'])('fails maxmemory-policy %s: it may evict contact keys', async (policy) => {
		const answer = await withRedis(['--save', '3600 1', '--maxmemory-policy', policy], async () => await credentialTest(here));
		expect(answer.status).toBe('Error');
		expect(answer.message).toContain(`maxmemory-policy is ${policy}`);
		expect(answer.message).toContain('set it to noeviction');
		expect(answer.message).not.toContain('RDB');
	});

	it('fails a Redis without persistence: a restart would forget every contact', async () => {
		const answer = await withRedis([], async () => await credentialTest(here));
		expect(answer.status).toBe('Error');
		expect(answer.message).toMatch(/^Connected, but this Redis cannot keep every contact/);
		expect(answer.message).toContain('neither RDB snapshots (save) nor AOF (appendonly) are on');
	});

	it('names both problems at once', async () => {
		const fitness = await withRedis(['--maxmemory-policy', 'volatile-lru'], async () => await checkRedis(here));
		expect(fitness.problems).toHaveLength(2);
	});

	it('does not fail what a managed Redis hides: CONFIG refused and no snapshot yet is left unchecked, and said so', async () => {
		const fitness = await withRedis(['--rename-command', 'CONFIG', ''], async () => await checkRedis(here));
		expect(fitness.problems).toEqual([]);
		expect(fitness.unchecked).toEqual([expect.stringContaining('whether RDB snapshots are on')]);
		expect(credentialTestMessage(fitness).status).toBe('OK');
	});

	it('with CONFIG refused, a snapshot Redis has made shows that snapshots are on', async () => {
		const fitness = await withRedis(['--rename-command', 'CONFIG', ''], async () => {
			const client = new Redis(here);
			try {
				await client.bgsave();
				for (let waited = 0; waited < 5_000 && /rdb_last_bgsave_time_sec:-1/.test(await client.info('persistence')); waited += 50) {
					await new Promise((resolve) => setTimeout(resolve, 50));
				}
			} finally {
				client.disconnect();
			}
			return await checkRedis(here);
		});
		expect(fitness).toEqual({ reachable: true, problems: [], unchecked: [] });
	});

	it('authenticates as the credential says (an ACL user, the default user disabled), and closes its connection', async () => {
		await withRedis([], async () => {
			const admin = new Redis(here);
			try {
				await admin.acl('SETUSER', 'n8n', 'on', '>n8n-password', '~*', '+@all');
				await admin.acl('SETUSER', 'default', 'on', '>admin-password');
				await admin.auth('default', 'admin-password');
				expect((await checkRedis({ ...here, username: 'n8n', password: 'n8n-password' })).reachable).toBe(true);
				expect((await checkRedis({ ...here, password: 'admin-password' })).reachable).toBe(true);
				expect((await checkRedis(here)).reachable).toBe(false);
				await new Promise((resolve) => setTimeout(resolve, 100));
				// only this test's own connection is left
				expect(((await admin.client('LIST')) as string).trim().split('\n')).toHaveLength(1);
			} finally {
				admin.disconnect();
			}
		});
	});

	it('leaves all unchecked, and passes, when Redis refuses INFO', async () => {
		const fitness = await withRedis([], async () => {
			const admin = new Redis(here);
			try {
				await admin.acl('SETUSER', 'no-info', 'on', '>no-info-password', '~*', '+@all', '-info');
				return await checkRedis({ ...here, username: 'no-info', password: 'no-info-password' });
			} finally {
				admin.disconnect();
			}
		});
		expect(fitness).toEqual({ reachable: true, problems: [], unchecked: [expect.stringMatching(/^Redis refused INFO \(NOPERM.*\): its version, eviction policy and persistence were not checked$/)] });
	});

	it('names host, port and database, never the password, when Redis cannot be reached', async () => {
		const answer = await credentialTest({ host: '127.0.0.1', port: PORTS.memoryUnreachable, database: 2, password: 's3cret-password' });
		expect(answer.status).toBe('Error');
		expect(answer.message).toContain(`127.0.0.1:${PORTS.memoryUnreachable} (database 2)`);
		expect(answer.message).not.toContain('s3cret-password');
	});
});
