/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * A TCP proxy between the trigger and a real Redis that can misbehave once, on the request
 * a test names: a slow network or a busy Redis (the reply held back), a request that lingers
 * on the way (held before Redis sees it), a failover (the connection cut right after Redis
 * has answered), or a Redis that stops answering for good. Everything else passes unchanged,
 * in order.
 */
import { createServer, Socket, type Server } from 'net';

export type Misbehaviour =
	/** Redis runs the request at once; its reply, and all that follows, reach the client `ms` later. */
	| { holdReplies: number }
	/** The request, and all that follows, reach Redis `ms` later. */
	| { holdRequest: number }
	/** Redis runs the request; the connection is cut before its reply reaches the client. */
	| { cutBeforeReply: true }
	/** Redis runs the request; from then on nothing reaches either side, and the connection stays open. */
	| { silence: true };

/** One direction of one connection: forwards in order, or holds, or drops. */
class Pipe {
	private readonly queue: Buffer[] = [];
	private heldUntil = 0;
	private timer: NodeJS.Timeout | undefined;
	dropping = false;
	cutOnData: (() => void) | null = null;

	constructor(private readonly to: Socket) {}

	write(chunk: Buffer): void {
		if (this.cutOnData) return this.cutOnData();
		if (this.dropping) return;
		if (this.queue.length > 0 || Date.now() < this.heldUntil) {
			this.queue.push(chunk);
			this.schedule();
		} else this.to.write(chunk);
	}

	hold(ms: number): void {
		this.heldUntil = Date.now() + ms;
		this.schedule();
	}

	private schedule(): void {
		if (this.timer) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			if (Date.now() < this.heldUntil) return this.schedule();
			if (this.dropping) return;
			for (const chunk of this.queue.splice(0)) this.to.write(chunk);
		}, Math.max(0, this.heldUntil - Date.now()));
	}

	stop(): void {
		clearTimeout(this.timer);
		this.dropping = true;
	}
}

export class RedisProxy {
	private readonly sockets = new Set<Socket>();
	private readonly pipes = new Set<Pipe>();
	private armed: { when: (request: string) => boolean; misbehaviour: Misbehaviour } | null = null;
	/** How many times an armed misbehaviour happened. */
	fired = 0;

	private constructor(
		private readonly server: Server,
		readonly port: number,
	) {}

	static async start(port: number, redisPort: number): Promise<RedisProxy> {
		const server = createServer((client) => proxy.connect(client, redisPort));
		const proxy = new RedisProxy(server, port);
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', resolve);
		});
		return proxy;
	}

	/** The next request whose RESP text `when` accepts misbehaves once. */
	arm(when: (request: string) => boolean, misbehaviour: Misbehaviour): void {
		this.armed = { when, misbehaviour };
	}

	/** Cuts every connection (the client sees its server go away). */
	cutAll(): void {
		for (const pipe of this.pipes) pipe.stop();
		for (const socket of this.sockets) socket.destroy();
	}

	async close(): Promise<void> {
		this.cutAll();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private connect(client: Socket, redisPort: number): void {
		const upstream = new Socket();
		for (const socket of [client, upstream]) {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
			socket.on('error', () => undefined);
		}
		const toRedis = new Pipe(upstream);
		const toClient = new Pipe(client);
		this.pipes.add(toRedis).add(toClient);
		const cut = () => {
			toRedis.stop();
			toClient.stop();
			client.destroy();
			upstream.destroy();
		};
		client.on('close', cut);
		upstream.on('close', cut);
		client.on('data', (chunk: Buffer) => {
			const armed = this.armed;
			if (armed && armed.when(chunk.toString('latin1'))) {
				this.armed = null;
				this.fired++;
				const misbehaviour = armed.misbehaviour;
				if ('holdRequest' in misbehaviour) toRedis.hold(misbehaviour.holdRequest);
				if ('holdReplies' in misbehaviour) toClient.hold(misbehaviour.holdReplies);
				if ('cutBeforeReply' in misbehaviour) toClient.cutOnData = cut;
				toRedis.write(chunk);
				if ('silence' in misbehaviour) {
					toRedis.dropping = true;
					toClient.dropping = true;
				}
				return;
			}
			toRedis.write(chunk);
		});
		upstream.on('data', (chunk: Buffer) => toClient.write(chunk));
		upstream.connect(redisPort, '127.0.0.1');
	}
}
