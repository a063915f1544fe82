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
			expect(fitness).toEqual({ reachable: false, problems: [expect.stringMatching(/^Could not reach Redis at 127\.0\.0\.1:\d+ \(database 0\): /)], unchecked: [] });
			expect(waited).toBeGreaterThanOrEqual(1_900);
			expect(waited).toBeLessThan(3_500);
		} finally {
			await close(server);
		}
	});

	it('reconnects with growing pauses to a Redis that drops every connection, not in a tight loop, and prints nothing', async () => {
		const { server, connections } = await listen((socket) => socket.destroy());
		const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
		try {
			const client = clientFor({ host: '127.0.0.1', port: PORT });
			client.connect().catch(() => undefined);
			await checkRedis({ host: '127.0.0.1', port: PORT });
			await new Promise((resolve) => setTimeout(resolve, 1_500));
			// pauses of 200, 400, 600 ms... : about five connections in 1.5 s
			expect(connections()).toBeGreaterThanOrEqual(2);
			expect(connections()).toBeLessThanOrEqual(11);
			// failures are answered per request: ioredis prints "Unhandled error event" without a listener
			expect(printed).not.toHaveBeenCalled();
		} finally {
			printed.mockRestore();
			disconnectAll();
			await close(server);
		}
	});

	it('tests a credential that points at a server speaking another protocol: unreachable, and nothing printed to n8n\'s log', async () => {
		// e.g. the port of a web server: its answer is no Redis reply, which ioredis reports as an
		// error event, and prints as "Unhandled error event" unless someone listens (a refused
		// connection would do as well outside jest, but jest's sandbox hides Node's own errors
		// from ioredis's `instanceof Error`, so only an error ioredis makes itself is seen here)
		const { server } = await listen((socket) => socket.on('data', () => socket.write('HTTP/1.1 400 Bad Request\r\n\r\n')));
		const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
		try {
			const fitness = await checkRedis({ host: '127.0.0.1', port: PORT });
			expect(fitness).toEqual({ reachable: false, problems: [expect.stringMatching(/^Could not reach Redis at 127\.0\.0\.1:\d+ \(database 0\): /)], unchecked: [] });
			expect(printed).not.toHaveBeenCalled();
		} finally {
			printed.mockRestore();
			await close(server);
		}
	});

	it('keeps one connection per credential, until disconnectAll closes them', () => {
		const credential = { host: '127.0.0.1', port: PORT };
		const client = clientFor(credential);
		expect(clientFor({ ...credential })).toBe(client);
		expect(clientFor({ ...credential, database: 1 })).not.toBe(client);
		disconnectAll();
		expect(client.status).toBe('end');
		expect(clientFor(credential)).not.toBe(client);
	});
});
