/**
 * What the credential test concludes from how Redis is run (connection.ts: assessSettings,
 * credentialTestMessage, redisOptions), on INFO text shaped as Redis 7.0.15 writes it (sections,
 * `field:value`, CR LF). Pure: no Redis needed, run with `npm run test:redis`.
 */
import { assessSettings, credentialTestMessage, redisOptions } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/connection';

/** INFO as Redis writes it, with the fields given (a field set to undefined is left out). */
function info(fields: Record<string, string | undefined> = {}): string {
	const all: Record<string, string | undefined> = {
		redis_version: '7.0.15',
		maxmemory_policy: 'noeviction',
		rdb_saves: '0',
		rdb_last_bgsave_time_sec: '-1',
		aof_enabled: '0',
		executable: '/usr/bin/redis-server',
		...fields,
	};
	const lines = Object.entries(all)
		.filter(([, value]) => value !== undefined)
		.map(([field, value]) => `${field}:${value}`);
	return ['# Server', ...lines, '', '# Keyspace', ''].join('\r\n');
}

const SNAPSHOTS = '3600 1 300 100 60 10000';
const NO_PERSISTENCE = 'neither RDB snapshots (save) nor AOF (appendonly) are on: a restart of Redis forgets every contact, and their events emit again';
const RDB_UNCHECKED = 'whether RDB snapshots are on (CONFIG GET save was refused, and Redis has made none yet)';

describe('assessSettings', () => {
	it.each([
		['5.0.7', true],
		['6.0.16', true],
		['6.1.9', true],
		['6.2.0', false],
		['6.2.14', false],
		['7.0.15', false],
		['10.0.0', false],
		[undefined, false],
	])('Redis %s is too old: %s', (version, old) => {
		const { problems } = assessSettings(info({ redis_version: version }), SNAPSHOTS);
		expect(problems).toEqual(old ? [`Redis ${version} is too old: the trigger needs 6.2 or later (SET with PXAT)`] : []);
	});

	it.each(['allkeys-lru', 'volatile-lru', 'volatile-lfu', 'volatile-ttl', 'volatile-random', 'allkeys-lfu', 'allkeys-random'])(
		'names maxmemory-policy %s as a problem',
		(policy) => {
			expect(assessSettings(info({ maxmemory_policy: policy }), SNAPSHOTS)).toEqual({
				problems: [
					`maxmemory-policy is ${policy}: when Redis runs out of memory it may evict the trigger's contact keys, and a forgotten contact emits again; set it to noeviction`,
				],
				unchecked: [],
			});
		},
	);

	it('leaves the eviction policy unchecked when INFO does not name it', () => {
		expect(assessSettings(info({ maxmemory_policy: undefined }), SNAPSHOTS)).toEqual({
			problems: [],
			unchecked: ['the eviction policy (INFO has no maxmemory_policy)'],
		});
	});

	it.each([
		['AOF on, no snapshots', { aof_enabled: '1' }, '', 'fine'],
		['snapshots configured', {}, SNAPSHOTS, 'fine'],
		['neither', {}, '', 'problem'],
		['neither, though a snapshot was made by hand', { rdb_saves: '2', rdb_last_bgsave_time_sec: '0' }, '', 'problem'],
		['CONFIG refused, AOF on', { aof_enabled: '1' }, null, 'fine'],
		['CONFIG refused, snapshots made', { rdb_saves: '3' }, null, 'fine'],
		['CONFIG refused, the last snapshot took 0 s', { rdb_last_bgsave_time_sec: '0' }, null, 'fine'],
		['CONFIG refused, none made yet', {}, null, 'unchecked'],
		['CONFIG refused, INFO silent on snapshots', { rdb_saves: undefined, rdb_last_bgsave_time_sec: undefined }, null, 'unchecked'],
	])('persistence: %s', (_, fields, save, verdict) => {
		const expected = {
			fine: { problems: [], unchecked: [] },
			problem: { problems: [NO_PERSISTENCE], unchecked: [] },
			unchecked: { problems: [], unchecked: [RDB_UNCHECKED] },
		}[verdict];
		expect(assessSettings(info(fields), save)).toEqual(expected);
	});

	it('names every problem at once', () => {
		expect(assessSettings(info({ redis_version: '6.0.16', maxmemory_policy: 'allkeys-lru' }), '').problems).toHaveLength(3);
	});
});

describe('credentialTestMessage', () => {
	it('an unreachable Redis: the reason, as an error', () => {
		expect(credentialTestMessage({ reachable: false, problems: ['Could not reach Redis at h:1 (database 0): refused'], unchecked: [] })).toEqual({
			status: 'Error',
			message: 'Could not reach Redis at h:1 (database 0): refused',
		});
	});

	it('problems: an error that says the credential works, with what was not checked', () => {
		expect(credentialTestMessage({ reachable: true, problems: ['a', 'b'], unchecked: ['c', 'd'] })).toEqual({
			status: 'Error',
			message:
				'Connected, but this Redis cannot keep every contact, so exactly once is not guaranteed: a; b. Not checked: c; d. The credential works; see the package README, "Redis for production".',
		});
	});

	it('no problem: OK, naming what was not checked', () => {
		expect(credentialTestMessage({ reachable: true, problems: [], unchecked: ['c'] })).toEqual({
			status: 'OK',
			message: 'Redis answered PING and keeps what the trigger writes. Not checked: c.',
		});
		expect(credentialTestMessage({ reachable: true, problems: [], unchecked: [] }).message).toBe('Redis answered PING and keeps what the trigger writes.');
	});
});

describe('redisOptions', () => {
	it('fills what the credential leaves empty', () => {
		expect(redisOptions({})).toMatchObject({ host: 'localhost', port: 6379, username: undefined, password: undefined, db: 0, tls: undefined });
		expect(redisOptions({ host: '', port: 0, username: '', password: '' })).toMatchObject({ host: 'localhost', port: 6379, username: undefined, password: undefined });
	});

	it('passes on what the credential gives, and names the connection for CLIENT LIST', () => {
		expect(redisOptions({ host: 'redis.internal', port: 6380, username: 'n8n', password: 'secret', database: 3, tls: true })).toMatchObject({
			host: 'redis.internal',
			port: 6380,
			username: 'n8n',
			password: 'secret',
			db: 3,
			tls: {},
			connectionName: 'n8n-perspective-funnel-trigger',
		});
	});

	it('waits longer before each reconnection attempt, 200 ms more each time, never over 2 s', () => {
		const { retryStrategy } = redisOptions({});
		expect([1, 2, 5, 9, 10, 11, 1_000].map((attempt) => retryStrategy?.(attempt))).toEqual([200, 400, 1_000, 1_800, 2_000, 2_000, 2_000]);
	});
});
