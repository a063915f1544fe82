/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * `npm run bench:e2e`: real n8n on this machine. Both Perspective Funnel Triggers side by side
 * with n8n's plain Webhook node in one n8n, each sent Perspective's New Lead bodies of new
 * contacts at concurrency 10, with executions not saved (the webhook path alone): the static-data
 * trigger holding 1,000 and 10,000 contacts, the Redis trigger (a redis-server started here)
 * 100,000. The contacts held are leads of Perspective's New Lead bodies that have not completed
 * (both events selected, as with Perspective's two webhooks connected); Max Contacts is the size,
 * so the number held stays put while each request adds a contact. Rounds alternate plain and
 * trigger; each round's ratio is trigger/plain in requests per second. Beside it, the CPU time
 * n8n's process spent per request (Linux's /proc), which other work on the machine does not
 * disturb as it disturbs requests per second (Redis's own CPU is not in it). Prints, per memory and
 * size, the median ratio and its range, and the bytes each contact takes as stored (static data:
 * the workflow's static data as n8n wrote it in its database; Redis: the key's value and Redis's
 * own MEMORY USAGE), and writes that table into docs/benchmarks.md, as the section of its n8n line
 * (`### n8n 1.x: <date>`; `N8N_LINE=2` for 2.x), in place of the last one.
 *
 * BENCH_SIZES (static data, default 1000,10000), BENCH_REDIS_SIZES (100000), BENCH_ROUNDS (9),
 * BENCH_REQUESTS (requests per round and side, 150), BENCH_CONCURRENCY (10).
 */
import { execFileSync } from 'child_process';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { join } from 'path';
import { Redis } from 'ioredis';

import { decodeContacts } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { withLineSection } from '../../scripts/lib/benchmarksDoc';
import { N8nDatabase } from '../../scripts/lib/database';
import { N8nProcess, ROOT, ensureRuntime, packPackage, packRedisPackage, prepareUserFolder, userFolderBase, type N8nLine } from '../../scripts/lib/n8n';
import { RedisServer } from '../../scripts/lib/redis';
import { TRIGGER_NODE_NAME, productionUrl, redisCredential, triggerWorkflow, twoNodeWorkflow } from '../../scripts/lib/workflows';

const LINE = (process.env.N8N_LINE ?? '1') as N8nLine;
const PORT = LINE === '1' ? 5881 : 5882;
const REDIS_PORT = LINE === '1' ? 6431 : 6432;
const numbers = (value: string) => value.split(',').filter(Boolean).map(Number);
const STATIC_SIZES = numbers(process.env.BENCH_SIZES ?? '1000,10000');
const REDIS_SIZES = numbers(process.env.BENCH_REDIS_SIZES ?? '100000');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 150);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
/** Contacts per request while filling a memory. */
const FILL_BATCH = 250;
const DOC = join(ROOT, 'docs', 'benchmarks.md');

/** Executions are not saved: what is measured is n8n's webhook path and the node, not n8n's execution store. */
const notSaved = <T extends { settings: Record<string, unknown> }>(workflow: T): T => ({
	...workflow,
	settings: { ...workflow.settings, saveDataSuccessExecution: 'none', saveManualExecutions: false, saveExecutionProgress: false },
});

const plainWorkflow = notSaved(
	twoNodeWorkflow(
		'benchPlainWebhk1',
		'Bench: plain Webhook node',
		{ id: 'plain-hook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: 'bench-plain', parameters: { httpMethod: 'POST', path: 'bench-plain', responseMode: 'onReceived', options: {} } },
		{ id: 'plain-noop', name: 'Nothing', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
	),
);

interface Target {
	memory: 'static data' | 'Redis';
	size: number;
	workflowId: string;
	url: string;
}

interface Measured {
	rps: number;
	/** CPU time the n8n process spent (user + system, all its threads), per request answered. */
	cpuMs: number;
	p50: number;
	p99: number;
	/** Answers other than 200, by status. */
	failed: Record<number, number>;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** User + system CPU time of a process so far, in ms, from /proc (Linux): immune to what else runs on the machine. */
function cpuMsOf(pid: number | undefined): number {
	if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return Number.NaN;
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	// utime and stime are fields 14 and 15 of proc(5), in clock ticks of 10 ms
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

let n8nPid: number | undefined;

async function load(url: string, bodies: unknown[], concurrency: number): Promise<Measured> {
	const cpuBefore = cpuMsOf(n8nPid);
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
	const cpuMs = (cpuMsOf(n8nPid) - cpuBefore) / Math.max(1, latencies.length);
	return { rps: latencies.length / seconds, cpuMs, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed };
}

let serial = 0;
/** Perspective's New Lead body of a contact never seen before: a 24-character hexadecimal ID, converted now. */
function newLeadBody() {
	const id = (++serial).toString(16).padStart(24, 'b');
	const now = Date.now();
	const iso = (ms: number) => new Date(ms).toISOString();
	return {
		id,
		funnelName: 'Solar check',
		meta: { createdAt: iso(now - 180_000), lastSeenAt: iso(now), completedAt: null, convertedAt: iso(now), globalId: `g_${id.slice(-8)}`, completed: false, converted: true },
		profile: {
			firstName: { value: 'Ada', title: 'First name' },
			email: { value: `${id}@example.com`, title: 'Email' },
			address: { city: { value: 'Berlin', title: 'City' }, postalCode: { value: '10115', title: 'Postal code' } },
			q8fk2l1: { value: 'Flat;Gable', title: 'Which roof do you have?' },
			cookies: { value: 'Google Analytics;Meta Pixel', title: 'Cookies' },
		},
	};
}
const newLeads = (count: number) => Array.from({ length: count }, newLeadBody);

/** Sends `count` new leads in batches, each batch again when n8n did not take it (up to 3 times). */
async function fill(url: string, count: number): Promise<void> {
	for (let sent = 0; sent < count; sent += FILL_BATCH) {
		const batch = newLeads(Math.min(FILL_BATCH, count - sent));
		let taken = false;
		for (let attempt = 1; attempt <= 3 && !taken; attempt++) taken = Object.keys((await load(url, [batch], 1)).failed).length === 0;
		if (!taken) throw new Error(`${url} refused a batch of contacts 3 times`);
	}
}

/** Static data as n8n wrote it: the bytes of the workflow's staticData column, and the contacts in it. */
async function staticDataBytes(db: N8nDatabase, workflowId: string, expected: number): Promise<{ bytes: number; contacts: number }> {
	let result = { bytes: 0, contacts: 0 };
	// n8n 2.x saves after it answers: wait until the save carries the contacts
	for (let attempt = 0; attempt < 50; attempt++) {
		const [row] = await db.query('SELECT staticData FROM workflow_entity WHERE id = ?', [workflowId]);
		const raw = typeof row?.staticData === 'string' ? row.staticData : '';
		const node = raw ? (JSON.parse(raw) as Record<string, { contacts?: string }>)[`node:${TRIGGER_NODE_NAME}`] : undefined;
		result = { bytes: Buffer.byteLength(raw), contacts: node?.contacts ? decodeContacts(node.contacts).contacts.length : 0 };
		if (result.contacts >= expected) break;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return result;
}

/** A Redis contact: its value's bytes and Redis's MEMORY USAGE of its key, averaged over a sample, plus its share of the sorted set. */
async function redisBytes(client: Redis, workflowId: string): Promise<{ value: number; memory: number; contacts: number }> {
	const node = `perspective-funnel:{${workflowId}:${workflowId}-trigger}`;
	const contacts = await client.zcard(`${node}:seen`);
	const [, keys] = await client.scan('0', 'MATCH', `${node}:contact:*`, 'COUNT', 2000);
	const sample = keys.slice(0, 200);
	let value = 0;
	let memory = 0;
	for (const key of sample) {
		value += await client.strlen(key);
		memory += (await client.memory('USAGE', key)) ?? 0;
	}
	const seen = (await client.memory('USAGE', `${node}:seen`)) ?? 0;
	return { value: value / sample.length, memory: memory / sample.length + seen / Math.max(1, contacts), contacts };
}

interface Row {
	target: Target;
	ratios: number[];
	plain: Measured[];
	trigger: Measured[];
	bytes: string;
}

const failures = (measured: Measured[]) => {
	const total: Record<string, number> = {};
	for (const { failed } of measured) for (const [status, count] of Object.entries(failed)) total[status] = (total[status] ?? 0) + count;
	return Object.entries(total)
		.map(([status, count]) => `${count} × ${status}`)
		.join(', ');
};

function tableRow({ target, ratios, plain, trigger, bytes }: Row): string {
	const range = `${Math.min(...ratios).toFixed(2)} to ${Math.max(...ratios).toFixed(2)}`;
	const rps = (measured: Measured[]) => median(measured.map((m) => m.rps)).toFixed(0);
	const latency = (measured: Measured[]) => `${median(measured.map((m) => m.p50)).toFixed(0)} / ${median(measured.map((m) => m.p99)).toFixed(0)}`;
	const other = [failures(plain) && `plain: ${failures(plain)}`, failures(trigger) && `trigger: ${failures(trigger)}`].filter(Boolean).join('; ');
	const cpu = (measured: Measured[]) => median(measured.map((m) => m.cpuMs));
	const cpuRatio = `${(cpu(plain) / cpu(trigger)).toFixed(2)}× (${cpu(plain).toFixed(1)} / ${cpu(trigger).toFixed(1)})`;
	return `| ${target.memory} | ${target.size.toLocaleString('en-US')} | **${median(ratios).toFixed(2)}×** (${range}) | ${cpuRatio} | ${rps(plain)} / ${rps(trigger)} | ${latency(plain)}; ${latency(trigger)} | ${bytes} | ${other || 'none'} |`;
}

async function main() {
	const runtime = ensureRuntime(LINE);
	const redis = await RedisServer.start(REDIS_PORT);
	const folder = prepareUserFolder(`bench-n8n${LINE}`, [packPackage(), packRedisPackage()], userFolderBase(true));
	const n8n = new N8nProcess({ runtime, userFolder: folder, port: PORT });
	const db = N8nDatabase.forUserFolder(folder, runtime.toolsModules);
	// n8n saves static data only for workflow IDs of at most 16 characters (isWorkflowIdValid)
	const targets: Target[] = [
		...STATIC_SIZES.map((size, index) => ({ memory: 'static data' as const, size, workflowId: `benchStaticData${index}`, url: '' })),
		...REDIS_SIZES.map((size, index) => ({ memory: 'Redis' as const, size, workflowId: `benchRedisMemry${index}`, url: '' })),
	];
	const workflows = targets.map((target) =>
		notSaved(
			triggerWorkflow({
				id: target.workflowId,
				name: `Bench: ${target.memory}, ${target.size} contacts`,
				webhookId: `bench-${target.workflowId}`,
				parameters: { options: { maxContacts: target.size } },
				...(target.memory === 'Redis' ? { redisCredentialId: 'benchRedisCred01' } : {}),
			}),
		),
	);
	n8n.importWorkflows([plainWorkflow, ...workflows], [redisCredential('benchRedisCred01', REDIS_PORT)]);
	await n8n.start();
	n8nPid = n8n.pid;
	const plainUrl = `${n8n.baseUrl}/webhook/bench-plain`;
	for (const target of targets) target.url = productionUrl(n8n.baseUrl, `bench-${target.workflowId}`);
	for (const url of [plainUrl, ...targets.map((target) => target.url)]) await n8n.waitForWebhook(url);
	const client = new Redis({ host: '127.0.0.1', port: REDIS_PORT, lazyConnect: false });

	const rows: Row[] = [];
	try {
		for (const target of targets) {
			const filling = performance.now();
			await fill(target.url, target.size);
			console.log(`${target.memory}: ${target.size} contacts sent in ${((performance.now() - filling) / 1000).toFixed(0)} s`);
			for (const url of [plainUrl, target.url]) await load(url, newLeads(30), CONCURRENCY);
			const row: Row = { target, ratios: [], plain: [], trigger: [], bytes: '' };
			for (let round = 0; round < ROUNDS; round++) {
				// alternate who goes first, so that a drift of the machine does not favour one side
				const order = round % 2 === 0 ? ['plain', 'trigger'] : ['trigger', 'plain'];
				const results: Record<string, Measured> = {};
				for (const side of order) results[side] = await load(side === 'plain' ? plainUrl : target.url, newLeads(REQUESTS), CONCURRENCY);
				row.plain.push(results.plain);
				row.trigger.push(results.trigger);
				row.ratios.push(results.trigger.rps / results.plain.rps);
				console.log(
					`${target.memory} ${target.size}, round ${round + 1}: plain ${results.plain.rps.toFixed(1)} req/s ${results.plain.cpuMs.toFixed(1)} ms CPU, trigger ${results.trigger.rps.toFixed(1)} req/s ${results.trigger.cpuMs.toFixed(1)} ms CPU, ${(results.trigger.rps / results.plain.rps).toFixed(2)}×`,
				);
			}
			if (target.memory === 'static data') {
				const { bytes, contacts } = await staticDataBytes(db, target.workflowId, target.size);
				if (contacts === 0) throw new Error(`n8n saved no contacts in the static data of ${target.workflowId}`);
				row.bytes = `${(bytes / contacts).toFixed(1)} (${(bytes / 1024).toFixed(0)} KiB for ${contacts.toLocaleString('en-US')})`;
			} else {
				const { value, memory, contacts } = await redisBytes(client, target.workflowId);
				row.bytes = `${value.toFixed(0)} value, ${memory.toFixed(0)} in Redis (${contacts.toLocaleString('en-US')} held)`;
			}
			console.log(tableRow(row));
			rows.push(row);
		}
	} finally {
		client.disconnect();
		await n8n.stop();
		await redis.stop();
	}

	const node = execFileSync(runtime.nodeBin, ['--version'], { encoding: 'utf8' }).trim();
	const redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1] ?? '?';
	const section = [
		`### n8n ${LINE}.x: ${new Date().toISOString().slice(0, 10)}`,
		'',
		`\`${LINE === '2' ? 'N8N_LINE=2 ' : ''}npm run bench:e2e\`: n8n ${runtime.version}, Node ${node}, SQLite, redis-server ${redisVersion}; ` +
			`${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average at the end ${(await import('os')).loadavg().map((l) => l.toFixed(1)).join(' ')}. ` +
			`${ROUNDS} rounds of ${REQUESTS} requests per side at concurrency ${CONCURRENCY}.`,
		'',
		'| Memory | Contacts held | Ratio to the plain Webhook node: median (range) | n8n CPU per request: ratio (ms plain / trigger) | Requests/s: plain / trigger (median) | p50 / p99 ms: plain; trigger | Bytes per contact | Other answers |',
		'| --- | --- | --- | --- | --- | --- | --- | --- |',
		...rows.map(tableRow),
	].join('\n');
	writeFileSync(DOC, withLineSection(existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n', LINE, section));
	console.log(`\n${section}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
