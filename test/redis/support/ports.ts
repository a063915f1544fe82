/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * The Redis ports of `npm run test:redis`: twelve from 6450 (`REDIS_TEST_PORT` moves them),
 * each test file its own. Under Stryker (`npm run test:mutation:redis`, which sets
 * STRYKER_MUTATOR_WORKER in its test processes) each test process takes one of three slots of
 * twelve ports from 6462, held by a file naming its pid, so that processes running at once
 * never share a Redis. A slot whose process is gone (Stryker kills a process that timed out,
 * with its Redis servers) is taken over.
 */
import { readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const SLOTS = 3;
const SLOT_PORTS = 12;

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

/** The slot this process holds (the same one for every test file it runs). */
function strykerSlot(): number {
	for (let slot = 0; slot < SLOTS; slot++) {
		const file = join(tmpdir(), `perspective-redis-stryker-slot-${slot}.pid`);
		try {
			writeFileSync(file, String(process.pid), { flag: 'wx' });
			return slot;
		} catch {
			const holder = Number(readFileSync(file, 'utf8'));
			if (holder === process.pid || !alive(holder)) {
				writeFileSync(file, String(process.pid));
				return slot;
			}
		}
	}
	throw new Error(`all ${SLOTS} Redis port slots for Stryker's test processes are held: lower Stryker's concurrency`);
}

const BASE =
	process.env.STRYKER_MUTATOR_WORKER === undefined ? Number(process.env.REDIS_TEST_PORT ?? 6450) : 6462 + SLOT_PORTS * strykerSlot();

export const PORTS = {
	memory: BASE,
	memoryLater: BASE + 1,
	memoryUnreachable: BASE + 2,
	trigger: BASE + 3,
	triggerUnreachable: BASE + 4,
	outcome: BASE + 5,
	outcomeProxy: BASE + 6,
	production: BASE + 7,
	forget: BASE + 8,
	script: BASE + 9,
	queue: BASE + 10,
	connection: BASE + 11,
} as const;
