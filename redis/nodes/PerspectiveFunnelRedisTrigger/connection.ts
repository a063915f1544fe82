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

/** The credential test: connect, PING, disconnect. The message names no password. */
export async function pingRedis(credential: RedisCredential): Promise<string | null> {
	const options = redisOptions(credential);
	const client = new Redis({ ...options, maxRetriesPerRequest: 0, retryStrategy: () => null });
	client.on('error', () => undefined);
	try {
		await client.connect();
		const reply = await client.ping();
		return reply === 'PONG' ? null : `Redis answered PING with ${reply}`;
	} catch (error) {
		return `Could not reach Redis at ${options.host}:${options.port} (database ${options.db}): ${(error as Error).message}`;
	} finally {
		client.disconnect();
	}
}
