import { createHash } from 'crypto';
import { Redis, type RedisOptions } from 'ioredis';

import { defineScripts } from './redisMemory';

/** The fields of the Perspective Funnel Redis credential. */
export interface RedisCredential {
	host?: string;
	port?: number;
	username?: string;
	password?: string;
	database?: number;
	tls?: boolean;
}

/** How long connecting and each command may take before the request is answered 503. */
export const CONNECT_TIMEOUT_MS = 2_000;
export const COMMAND_TIMEOUT_MS = 2_500;

export function redisOptions(credential: RedisCredential): RedisOptions {
	return {
		host: credential.host || 'localhost',
		port: Number(credential.port) || 6379,
		username: credential.username || undefined,
		password: credential.password || undefined,
		db: Number(credential.database) || 0,
		tls: credential.tls ? {} : undefined,
		connectTimeout: CONNECT_TIMEOUT_MS,
		// a command (queued while reconnecting, or sent to a server that hangs) fails after this;
		// a commit that fails so is settled by asking Redis whether it was kept (redisMemory.ts)
		commandTimeout: COMMAND_TIMEOUT_MS,
		maxRetriesPerRequest: 1,
		// a command in flight when the connection drops is failed, never sent again by itself
		autoResendUnfulfilledCommands: false,
		retryStrategy: (times) => Math.min(times * 200, 2_000),
		lazyConnect: true,
		connectionName: 'n8n-perspective-funnel-trigger',
	};
}

const clients = new Map<string, Redis>();

/**
 * This process's connection for a credential, made on first use and reused by every
 * trigger node with the same credential; ioredis reconnects by itself after a failure.
 */
export function clientFor(credential: RedisCredential): Redis {
	const options = redisOptions(credential);
	const key = createHash('sha256')
		.update(JSON.stringify([options.host, options.port, options.username, options.password, options.db, Boolean(options.tls)]))
		.digest('hex');
	let client = clients.get(key);
	if (!client) {
		client = new Redis(options);
		// failures are answered per request (503) and logged there; without a listener,
		// ioredis would report each reconnection attempt as an unhandled error
		client.on('error', () => undefined);
		defineScripts(client);
		clients.set(key, client);
	}
	return client;
}

/** Closes every connection of this process (for tests; n8n ends the process instead). */
export function disconnectAll(): void {
	for (const client of clients.values()) client.disconnect();
	clients.clear();
}

/** What exactly once needs of the Redis server, as read by the credential test. */
export interface RedisFitness {
	/** Connected and answered PING. */
	reachable: boolean;
	/** What would break exactly once (empty when nothing was found), or why Redis could not be reached. */
	problems: string[];
	/** What could not be checked (a managed Redis may refuse INFO or CONFIG). */
	unchecked: string[];
}

/**
 * The credential test: connect, PING, then read how Redis is run. Exactly once needs a Redis
 * that keeps the trigger's keys: `maxmemory-policy noeviction` (every other policy may evict
 * contact keys, which carry an expiry, before anything else under `volatile-*`), and RDB
 * snapshots or AOF on (without either, a restart of Redis forgets every contact). The
 * messages name no password and no key.
 */
export async function checkRedis(credential: RedisCredential): Promise<RedisFitness> {
	const options = redisOptions(credential);
	// Stryker disable next-line ArrowFunction: any answer but a number means "do not reconnect"
	const client = new Redis({ ...options, maxRetriesPerRequest: 0, retryStrategy: () => null });
	client.on('error', () => undefined);
	try {
		try {
			await client.connect();
			await client.ping();
		} catch (error) {
			const where = `${options.host}:${options.port} (database ${options.db})`;
			return { reachable: false, problems: [`Could not reach Redis at ${where}: ${(error as Error).message}`], unchecked: [] };
		}
		let info: string;
		try {
			info = await client.info();
		} catch (error) {
			return { reachable: true, problems: [], unchecked: [`Redis refused INFO (${(error as Error).message}): its version, eviction policy and persistence were not checked`] };
		}
		const save = await client.config('GET', 'save').then(
			(reply) => (reply as string[])[1] ?? '',
			() => null,
		);
		return { reachable: true, ...assessSettings(info, save) };
	} finally {
		client.disconnect();
	}
}

/**
 * What INFO (and `CONFIG GET save`, null when Redis refused CONFIG) say against what exactly
 * once needs: Redis 6.2 or later (SET … PXAT), `maxmemory-policy noeviction`, and AOF or RDB
 * snapshots on.
 */
export function assessSettings(infoText: string, save: string | null): Omit<RedisFitness, 'reachable'> {
	const info = parseInfo(infoText);
	const problems: string[] = [];
	const unchecked: string[] = [];
	const version = info.get('redis_version');
	const [major, minor] = (version ?? '6.2').split('.').map(Number);
	if (major < 6 || (major === 6 && minor < 2)) problems.push(`Redis ${version} is too old: the trigger needs 6.2 or later (SET with PXAT)`);
	const policy = info.get('maxmemory_policy');
	if (policy === undefined) unchecked.push('the eviction policy (INFO has no maxmemory_policy)');
	else if (policy !== 'noeviction') {
		problems.push(
			`maxmemory-policy is ${policy}: when Redis runs out of memory it may evict the trigger's contact keys, and a forgotten contact emits again; set it to noeviction`,
		);
	}
	// a managed Redis often refuses CONFIG: a snapshot it has made shows that snapshots are on
	const snapshotMade = Number(info.get('rdb_saves')) > 0 || Number(info.get('rdb_last_bgsave_time_sec')) >= 0;
	if (info.get('aof_enabled') === '1' || save || (save === null && snapshotMade)) return { problems, unchecked };
	if (save === null) unchecked.push('whether RDB snapshots are on (CONFIG GET save was refused, and Redis has made none yet)');
	else problems.push('neither RDB snapshots (save) nor AOF (appendonly) are on: a restart of Redis forgets every contact, and their events emit again');
	return { problems, unchecked };
}

/** INFO's `field:value` lines (each ends with CR LF). */
function parseInfo(text: string): Map<string, string> {
	const fields = new Map<string, string>();
	for (const line of text.split('\n')) {
		const colon = line.indexOf(':');
		// Stryker disable next-line EqualityOperator: no INFO line starts with a colon
		if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
	}
	return fields;
}

/** The credential test's answer: an error when Redis is out of reach or would break exactly once (n8n shows only errors). */
export function credentialTestMessage(fitness: RedisFitness): { status: 'OK' | 'Error'; message: string } {
	if (!fitness.reachable) return { status: 'Error', message: fitness.problems.join('; ') };
	const unchecked = fitness.unchecked.length > 0 ? ` Not checked: ${fitness.unchecked.join('; ')}.` : '';
	if (fitness.problems.length > 0) {
		return {
			status: 'Error',
			message: `Connected, but this Redis cannot keep every contact, so exactly once is not guaranteed: ${fitness.problems.join('; ')}.${unchecked} The credential works; see the package README, "Redis for production".`,
		};
	}
	return { status: 'OK', message: `Redis answered PING and keeps what the trigger writes.${unchecked}` };
}
