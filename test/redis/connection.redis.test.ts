/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * The connection's own bounds (connection.ts), against servers that misbehave on purpose:
 * connecting gives up after 2 s, and a Redis that drops every connection is
 * not hammered with reconnections. `npm run test:redis`.
 */
import { createServer, type Server, type Socket } from 'net';

import { checkRedis, clientFor, disconnectAll } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/connection';
import { PORTS } from './support/ports';

const PORT = PORTS.connection;

/** A TCP server that does `onConnection` with each connection; counts them. */
async function listen(onConnection: (socket: Socket) => void): Promise<{ server: Server; connections: () => number }> {
	let count = 0;
	const sockets = new Set<Socket>();
	const server = createServer((socket) => {
		count++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
		onConnection(socket);
	});
	server.on('close', () => {
		for (const socket of sockets) socket.destroy();
	});
	await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', resolve));
	return { server, connections: () => count };
}

const close = async (server: Server) => {
	server.close();
	await new Promise((resolve) => setTimeout(resolve, 50));
};

afterEach(() => disconnectAll());

describe('the connection to Redis', () => {
	it('gives up connecting after 2 s: the credential test of a server that never completes TLS fails in time', async () => {
		const { server } = await listen(() => undefined);
		try {
			const started = Date.now();
			const fitness = await checkRedis({ host: '127.0.0.1', port: PORT, tls: true });
			const waited = Date.now() - started;
			expect(fitness.reachable).toBe(false);
			expect(fitness.problems[0]).toMatch(/^Could not reach Redis at 127\.0\.0\.1:\d+ \(database 0\)/);
			expect(waited).toBeGreaterThanOrEqual(1_900);
			expect(waited).toBeLessThan(3_500);
		} finally {
			await close(server);
		}
	});

	it('reconnects with growing pauses to a Redis that drops every connection, not in a tight loop', async () => {
		const { server, connections } = await listen((socket) => socket.destroy());
		try {
			const client = clientFor({ host: '127.0.0.1', port: PORT });
			client.connect().catch(() => undefined);
			await new Promise((resolve) => setTimeout(resolve, 1_500));
			// pauses of 200, 400, 600 ms... : about five connections in 1.5 s
			expect(connections()).toBeGreaterThanOrEqual(2);
			expect(connections()).toBeLessThanOrEqual(10);
		} finally {
			disconnectAll();
			await close(server);
		}
	});
});
