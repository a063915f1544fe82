/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * `npm run bench:e2e`: real n8n on this machine, one run, side by side: a workflow with n8n's
 * plain Webhook node that does nothing (the floor for any webhook trigger), the Perspective
 * Funnel Trigger (static data) and the Perspective Funnel Redis Trigger (a real redis-server
 * started here), at concurrency 1, 10 and 50, with 0, 10,000 and 100,000 contacts held.
 * Prints a table and writes it to docs/benchmarks.md. N8N_LINE=2 for n8n 2.x.
 *
 * Trigger requests come in two kinds: "emits" (a new contact leaves an email: one execution,
 * like the plain Webhook node's every request) and "no item" (an answer of a known visitor:
 * state changes, no execution), the most common request of a real funnel.
 */
import { execFileSync } from 'child_process';
import { cpus, totalmem } from 'os';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { N8nProcess, ROOT, ensureRuntime, packPackage, packRedisPackage, prepareUserFolder, userFolderBase, type N8nLine } from '../../scripts/lib/n8n';
import { RedisServer } from '../../scripts/lib/redis';
import { productionUrl, redisCredential, triggerWorkflow, twoNodeWorkflow } from '../../scripts/lib/workflows';

const LINE = (process.env.N8N_LINE ?? '1') as N8nLine;
const PORT = LINE === '1' ? 5881 : 5882;
const REDIS_PORT = LINE === '1' ? 6431 : 6432;
/** Requests per cell; the static-data trigger at 100,000 contacts gets a third of them (it is slow). */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const SIZES = (process.env.BENCH_SIZES ?? '0,10000,100000').split(',').map(Number);
const CONCURRENCIES = [1, 10, 50];
/** Max Contacts of both triggers: above every size, so that the sizes are what the triggers hold. */
const MAX_CONTACTS = 1_000_000;

const plainWorkflow = twoNodeWorkflow(
	'benchPlainWebhk1',
	'Bench: plain Webhook node',
	{ id: 'plain-hook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: 'bench-plain', parameters: { httpMethod: 'POST', path: 'bench-plain', responseMode: 'onReceived', options: {} } },
	{ id: 'plain-noop', name: 'Nothing', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
);

interface Cell {
	rps: number;
	p50: number;
	p99: number;
	/** Answers other than 200, by status (n8n's own 503 when its SQLite cannot keep up, say). */
	failed: Record<number, number>;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function load(url: string, bodies: unknown[], concurrency: number): Promise<Cell> {
	const latencies: number[] = [];
	const failed: Record<number, number> = {};
	let next = 0;
	const began = performance.now();
	const worker = async () => {
		while (next < bodies.length) {
			const body = bodies[next++];
			const sent = performance.now();
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			await response.arrayBuffer();
			if (response.status !== 200) failed[response.status] = (failed[response.status] ?? 0) + 1;
			else latencies.push(performance.now() - sent);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const seconds = (performance.now() - began) / 1000;
	latencies.sort((a, b) => a - b);
	return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed };
}

const answer = (contactId: string, n: number) => ({
	type: 'response',
	contactId,
	funnelName: 'Solar check',
	answers: [{ id: `q${n % 6}`, title: `Question ${n % 6}`, value: n % 2 ? ['Flat', 'Gable'] : n }],
});

/** Sends one batch of contacts, again when n8n did not take it (up to 3 times). */
async function fill(url: string, batch: unknown[]): Promise<void> {
	for (let attempt = 1; attempt <= 3; attempt++) {
		const result = await load(url, [batch], 1);
		if (Object.keys(result.failed).length === 0) return;
	}
	throw new Error(`${url} refused a batch of contacts 3 times`);
}

const failures = (result: Cell) =>
	Object.entries(result.failed)
		.map(([status, count]) => `, ${count} × ${status}`)
		.join('');
const cell = (result: Cell, plain: Cell) =>
	`${result.rps.toFixed(0)} (${(result.rps / plain.rps).toFixed(2)}×), ${result.p50.toFixed(1)} / ${result.p99.toFixed(1)}${failures(result)}`;

async function main() {
	const runtime = ensureRuntime(LINE);
	const redis = await RedisServer.start(REDIS_PORT);
	const folder = prepareUserFolder(`bench-n8n${LINE}`, [packPackage(), packRedisPackage()], userFolderBase(true));
	const n8n = new N8nProcess({ runtime, userFolder: folder, port: PORT });
	// one workflow per memory and state size, so that each starts from its own empty state
	const options = { options: { maxContacts: MAX_CONTACTS } };
	const triggers = SIZES.flatMap((size, index) => [
		triggerWorkflow({ id: `benchStatic00000${index}`, name: `Bench: static data, ${size} contacts`, webhookId: `bench-static-${size}`, parameters: options }),
		triggerWorkflow({ id: `benchRedis000000${index}`, name: `Bench: Redis, ${size} contacts`, webhookId: `bench-redis-${size}`, parameters: options, redisCredentialId: 'benchRedisCred01' }),
	]);
	n8n.importWorkflows([plainWorkflow, ...triggers], [redisCredential('benchRedisCred01', REDIS_PORT)]);
	await n8n.start();
	const plainUrl = `${n8n.baseUrl}/webhook/bench-plain`;
	const urls = (size: number) => ({
		static: productionUrl(n8n.baseUrl, `bench-static-${size}`),
		redis: productionUrl(n8n.baseUrl, `bench-redis-${size}`),
	});
	for (const size of SIZES) for (const url of Object.values(urls(size))) await n8n.waitForWebhook(url);
	await n8n.waitForWebhook(plainUrl);

	const rows: string[] = [];
	let serial = 0;
	const filled: string[] = [];
	try {
		for (const size of SIZES) {
			const { static: staticUrl, redis: redisUrl } = urls(size);
			// fill both memories with visitors who answered two questions (open contacts, with a profile)
			const fillStarted = performance.now();
			for (let held = 0; held < size; held += 250) {
				const batch = Array.from({ length: 250 }, (_, index) => [answer(`v${held + index}`, 1), answer(`v${held + index}`, 2)]).flat();
				for (const url of [staticUrl, redisUrl]) await fill(url, batch);
			}
			if (size > 0) filled.push(`${size.toLocaleString('en-US')}: ${((performance.now() - fillStarted) / 1000).toFixed(0)} s`);
			const known = (n: number) => (size === 0 ? 'v_single' : `v${n % size}`);
			const lead = () => ({ type: 'response', contactId: `lead_${++serial}`, funnelName: 'Solar check', answers: [{ id: 'email', value: `lead_${serial}@example.com` }] });
			for (const concurrency of CONCURRENCIES) {
				const requests = REQUESTS;
				const staticRequests = size >= 100_000 ? Math.ceil(REQUESTS / 3) : REQUESTS;
				const warm = Array.from({ length: 30 }, (_, n) => answer(known(n), n));
				for (const url of [plainUrl, staticUrl, redisUrl]) await load(url, warm, concurrency);
				const plain = await load(plainUrl, Array.from({ length: requests }, (_, n) => answer(known(n), n)), concurrency);
				const staticSilent = await load(staticUrl, Array.from({ length: staticRequests }, (_, n) => answer(known(n + 7), n)), concurrency);
				const staticEmits = await load(staticUrl, Array.from({ length: staticRequests }, lead), concurrency);
				const redisSilent = await load(redisUrl, Array.from({ length: requests }, (_, n) => answer(known(n + 7), n)), concurrency);
				const redisEmits = await load(redisUrl, Array.from({ length: requests }, lead), concurrency);
				const row = `| ${size.toLocaleString('en-US')} | ${concurrency} | ${plain.rps.toFixed(0)}, ${plain.p50.toFixed(1)} / ${plain.p99.toFixed(1)}${failures(plain)} | ${cell(staticEmits, plain)} | ${cell(staticSilent, plain)} | ${cell(redisEmits, plain)} | ${cell(redisSilent, plain)} |`;
				console.log(row);
				rows.push(row);
			}
		}
	} finally {
		await n8n.stop();
		await redis.stop();
	}

	const cpu = cpus()[0]?.model ?? 'unknown CPU';
	const redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1] ?? '?';
	const header = [
		`# End-to-end benchmark: both Perspective Funnel Triggers against n8n's plain Webhook node`,
		'',
		`Run with \`npm run bench:e2e\`${LINE === '2' ? ' (N8N_LINE=2)' : ''} on ${new Date().toISOString().slice(0, 10)}: n8n ${runtime.version}, Node ${execFileSync(runtime.nodeBin, ['--version'], { encoding: 'utf8' }).trim()}, SQLite, redis-server ${redisVersion} on 127.0.0.1,`,
		`${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB. One run, ${REQUESTS} requests per cell (the static-data trigger at 100,000 contacts: ${Math.ceil(REQUESTS / 3)}) after 30 warm-up requests; n8n, Redis and the load generator share the machine.`,
		'',
		"Contacts: open contacts (two answers each) sent to each trigger before its cells (one workflow per memory and size, Max Contacts 1,000,000); the \"emits\" requests of the three cells add leads on top.",
		'The static-data trigger keeps at most 8,000,000 characters of state (README, Limits): past it, it forgets the least recently seen contacts, so at 100,000 open contacts it holds fewer than were sent.',
		`Time to send the contacts to both triggers: ${filled.join('; ') || 'none'}.`,
		'Each cell: requests per second answered 200 (ratio to the plain Webhook node in the same row), p50 / p99 latency in ms of those, and any other answers by status (`N × 503`).',
		"Plain: n8n's Webhook node → No Operation, one execution per request. Emits: a new contact's email, one execution per request.",
		'No item: an answer of a known visitor, which changes the memory and starts no execution.',
		'',
		'| Contacts | Concurrency | Plain | Static data: emits | Static data: no item | Redis: emits | Redis: no item |',
		'| --- | --- | --- | --- | --- | --- | --- |',
	];
	const table = [...header, ...rows].join('\n');
	mkdirSync(join(ROOT, 'docs'), { recursive: true });
	writeFileSync(join(ROOT, 'docs', `benchmarks${LINE === '2' ? '-n8n2' : ''}.md`), `${table}\n`);
	console.log(`\n${table}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
