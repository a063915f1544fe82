/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * `npm run bench:e2e`: real n8n on this machine, one run, side by side: a workflow with n8n's
 * plain Webhook node that does nothing (the floor for any webhook trigger) and the Perspective
 * Funnel Trigger, at concurrency 1, 10 and 50, with 0, 1,000 and 10,000 contacts in its state.
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

import { N8nProcess, ROOT, ensureRuntime, packPackage, prepareUserFolder, type N8nLine } from '../../scripts/lib/n8n';
import { productionUrl, triggerWorkflow, twoNodeWorkflow } from '../../scripts/lib/workflows';

const LINE = (process.env.N8N_LINE ?? '1') as N8nLine;
const PORT = LINE === '1' ? 5821 : 5822;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 600);
const SIZES = [0, 1_000, 10_000];
const CONCURRENCIES = [1, 10, 50];

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
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function load(url: string, bodies: unknown[], concurrency: number): Promise<Cell> {
	const latencies: number[] = [];
	let next = 0;
	const began = performance.now();
	const worker = async () => {
		while (next < bodies.length) {
			const body = bodies[next++];
			const sent = performance.now();
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			await response.arrayBuffer();
			if (response.status !== 200) throw new Error(`status ${response.status} from ${url}`);
			latencies.push(performance.now() - sent);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const seconds = (performance.now() - began) / 1000;
	latencies.sort((a, b) => a - b);
	return { rps: bodies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const answer = (contactId: string, n: number) => ({
	type: 'response',
	contactId,
	funnelName: 'Solar check',
	answers: [{ id: `q${n % 6}`, title: `Question ${n % 6}`, value: n % 2 ? ['Flat', 'Gable'] : n }],
});

async function main() {
	const runtime = ensureRuntime(LINE);
	const folder = prepareUserFolder(`bench-n8n${LINE}`, packPackage());
	const n8n = new N8nProcess({ runtime, userFolder: folder, port: PORT });
	// one trigger workflow per state size, so that each starts from its own empty state
	const triggers = SIZES.map((size, index) =>
		triggerWorkflow({ id: `benchTrigger000${index}`, name: `Bench: trigger, ${size} contacts`, webhookId: `bench-trigger-${size}` }),
	);
	n8n.importWorkflows([plainWorkflow, ...triggers]);
	await n8n.start();
	const plainUrl = `${n8n.baseUrl}/webhook/bench-plain`;
	const triggerUrls = SIZES.map((size) => productionUrl(n8n.baseUrl, `bench-trigger-${size}`));
	for (const url of [plainUrl, ...triggerUrls]) await n8n.waitForWebhook(url);

	const rows: string[] = [];
	let serial = 0;
	try {
		for (const [sizeIndex, size] of SIZES.entries()) {
			const triggerUrl = triggerUrls[sizeIndex];
			// fill the state with visitors who answered two questions (open contacts, with a profile)
			for (let held = 0; held < size; held += 250) {
				const batch = Array.from({ length: 250 }, (_, index) => [answer(`v${held + index}`, 1), answer(`v${held + index}`, 2)]).flat();
				await load(triggerUrl, [batch], 1);
			}
			const known = (n: number) => (size === 0 ? 'v_single' : `v${n % size}`);
			for (const concurrency of CONCURRENCIES) {
				const warm = Array.from({ length: 30 }, (_, n) => answer(known(n), n));
				await load(plainUrl, warm, concurrency);
				await load(triggerUrl, warm, concurrency);
				const plain = await load(plainUrl, Array.from({ length: REQUESTS }, (_, n) => answer(known(n), n)), concurrency);
				const silent = await load(triggerUrl, Array.from({ length: REQUESTS }, (_, n) => answer(known(n + 7), n)), concurrency);
				const emitting = await load(
					triggerUrl,
					Array.from({ length: REQUESTS }, () => ({ type: 'response', contactId: `lead_${++serial}`, funnelName: 'Solar check', answers: [{ id: 'email', value: `lead_${serial}@example.com` }] })),
					concurrency,
				);
				const row = `| ${size.toLocaleString('en-US')} | ${concurrency} | ${plain.rps.toFixed(0)} | ${plain.p50.toFixed(1)} / ${plain.p99.toFixed(1)} | ${emitting.rps.toFixed(0)} (${(emitting.rps / plain.rps).toFixed(2)}×) | ${emitting.p50.toFixed(1)} / ${emitting.p99.toFixed(1)} | ${silent.rps.toFixed(0)} (${(silent.rps / plain.rps).toFixed(2)}×) | ${silent.p50.toFixed(1)} / ${silent.p99.toFixed(1)} |`;
				console.log(row);
				rows.push(row);
			}
		}
	} finally {
		await n8n.stop();
	}

	const cpu = cpus()[0]?.model ?? 'unknown CPU';
	const header = [
		`# End-to-end benchmark: Perspective Funnel Trigger against n8n's plain Webhook node`,
		'',
		`Run with \`npm run bench:e2e\`${LINE === '2' ? ' (N8N_LINE=2)' : ''} on ${new Date().toISOString().slice(0, 10)}: n8n ${runtime.version}, Node ${execFileSync(runtime.nodeBin, ['--version'], { encoding: 'utf8' }).trim()}, SQLite,`,
		`${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB. One run, ${REQUESTS} requests per cell after 30 warm-up requests; the load generator runs on the same machine.`,
		'',
		'Contacts: open contacts (two answers each) in the trigger\'s state (one workflow per size); the "emits" requests of the three cells add up to 3 × the request count of leads to it.',
		'Plain: n8n\'s Webhook node → No Operation, one execution per request. Trigger emits: a new contact\'s email, one execution per request.',
		'Trigger no item: an answer of a known visitor, which changes the state and starts no execution.',
		'',
		'| Contacts | Concurrency | Plain req/s | Plain p50 / p99 ms | Trigger emits req/s | Emits p50 / p99 ms | Trigger no item req/s | No item p50 / p99 ms |',
		'| --- | --- | --- | --- | --- | --- | --- | --- |',
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
