/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * The Redis ports of `npm run test:redis`: twelve from 6450 (`REDIS_TEST_PORT` moves them),
 * each test file its own. Under Stryker (`npm run test:mutation:redis`) each test process takes
 * twelve of its own from 6462, by its worker number, so that mutants tested at once never
 * share a Redis.
 */
const worker = process.env.STRYKER_MUTATOR_WORKER;
const BASE = worker === undefined ? Number(process.env.REDIS_TEST_PORT ?? 6450) : 6462 + 12 * Number(worker);

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
