/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * A real Redis server (Debian's `redis-server`) on 127.0.0.1, for the Redis trigger's tests,
 * the end-to-end suite and the benchmark. Nothing is persisted: the server keeps its data
 * in memory for as long as it runs, which is what a test needs to outlive n8n restarts.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { Socket } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/** Why Redis cannot run here, or null when `redis-server` answers `--version`. */
export function redisServerProblem(): string | null {
	try {
		execFileSync(REDIS_SERVER, ['--version'], { stdio: 'pipe' });
		return null;
	} catch {
		return `${REDIS_SERVER} was not found: install Debian's redis-server (apt-get install -y redis-server) or set REDIS_SERVER to its path`;
	}
}

function answersPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = new Socket();
		let reply = '';
		socket.setTimeout(500);
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
		socket.on('data', (chunk) => {
			reply += chunk.toString();
			if (reply.includes('\r\n')) {
				socket.end();
				resolve(reply.startsWith('+PONG'));
			}
		});
		socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RedisServer {
	private constructor(
		readonly port: number,
		private readonly child: ChildProcess,
		private readonly dir: string,
	) {}

	get url(): string {
		return `redis://127.0.0.1:${this.port}`;
	}

	/** Starts `redis-server` on 127.0.0.1:`port` and waits until it answers PING (10 s at most). */
	static async start(port: number, extraArgs: string[] = []): Promise<RedisServer> {
		const problem = redisServerProblem();
		if (problem) throw new Error(problem);
		if (await answersPing(port)) throw new Error(`something already answers on 127.0.0.1:${port}`);
		const dir = mkdtempSync(join(tmpdir(), `redis-${port}-`));
		const child = spawn(
			REDIS_SERVER,
			['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs],
			{ stdio: ['ignore', 'pipe', 'pipe'] },
		);
		let output = '';
		child.stdout?.on('data', (chunk) => (output = (output + chunk.toString()).slice(-4000)));
		child.stderr?.on('data', (chunk) => (output = (output + chunk.toString()).slice(-4000)));
		for (let waited = 0; waited < 10_000; waited += 100) {
			if (child.exitCode !== null) break;
			if (await answersPing(port)) return new RedisServer(port, child, dir);
			await sleep(100);
		}
		child.kill('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
		throw new Error(`redis-server on port ${port} did not start:\n${output}`);
	}

	/** Stops the server (its data is gone) and waits for it to exit. */
	async stop(): Promise<void> {
		if (this.child.exitCode === null) {
			const exited = new Promise((resolve) => this.child.once('exit', resolve));
			this.child.kill('SIGTERM');
			await exited;
		}
		rmSync(this.dir, { recursive: true, force: true });
	}

	/** Pauses the server (SIGSTOP): connections stay open but nothing is answered, as with a hung Redis. */
	pause(): void {
		this.child.kill('SIGSTOP');
	}

	resume(): void {
		this.child.kill('SIGCONT');
	}
}
