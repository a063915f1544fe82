/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * `npm run scenario:queue`: the exactly-once scenario through a real n8n queue-mode setup on
 * this machine: PostgreSQL, Redis, a main process, a worker and two webhook processes, all on
 * 127.0.0.1. Needs `redis-server` (Debian package redis-server) and PostgreSQL 15's server
 * binaries; run as root (PostgreSQL itself runs as the user postgres). Prints a report; exits
 * non-zero when a lead or a profile field was lost. Not part of CI: it needs Debian packages.
 *
 * Workflow A is reached through both webhook processes, alternately (each process keeps its
 * own in-process authority); workflow B through one webhook process only. Then the race, for
 * the static-data trigger (workflow A) and the Redis trigger (the package in redis/, its
 * contacts in the same Redis as n8n's queue): each contact's New Lead body sent to both
 * webhook processes at the same moment; then every n8n process restarted and every body
 * sent again. The two triggers' figures are printed side by side. N8N_LINE=2 for n8n 2.x.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { chownSync, mkdirSync, rmSync } from 'fs';
import { join } from 'path';

import { decodeContacts } from '../../nodes/PerspectiveFunnel/funnel/codec';
import {
	N8nProcess,
	ROOT,
	REDIS_PACKAGE_NAME,
	ensureRuntime,
	existingTarball,
	packPackage,
	packRedisPackage,
	prepareUserFolder,
	userFolderBase,
	type N8nLine,
} from '../../scripts/lib/n8n';
import { TRIGGER_NODE_NAME, productionUrl, redisCredential, triggerWorkflow } from '../../scripts/lib/workflows';
import { interleavedSessions, perspectiveBody } from './suite';

const LINE = (process.env.N8N_LINE ?? '1') as N8nLine;
const PG_PORT = 5440;
const REDIS_PORT = 6410;
const PORTS = { main: 5871, worker: 5872, webhookA: 5873, webhookB: 5874 };
const CONCURRENCY = 20;
const CONTACTS = 50;
const TWO_PROCESSES = { id: 'queueTwoWebhooks', webhookId: 'queue-two' };
const ONE_PROCESS = { id: 'queueOneWebhook1', webhookId: 'queue-one' };
const REDIS_TRIGGER = { id: 'queueRedisTrigg1', webhookId: 'queue-redis' };
const REDIS_CREDENTIAL = 'queueRedisCreden';

const dir = join(ROOT, '.e2e', 'queue');
const children: ChildProcess[] = [];
const processes: N8nProcess[] = [];

function startRedis() {
	const redis = spawn('redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
	children.push(redis);
}

function startPostgres() {
	const data = join(dir, 'pg');
	mkdirSync(data, { recursive: true });
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
	chownSync(data, uid, gid);
	const asPostgres = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
	asPostgres(['initdb', '-D', data, '-A', 'trust', '-U', 'postgres']);
	asPostgres(['pg_ctl', '-D', data, '-w', '-l', join(data, 'postgres.log'), '-o', `-p ${PG_PORT} -k /tmp -c listen_addresses=127.0.0.1`, 'start']);
	execFileSync('psql', ['-h', '127.0.0.1', '-p', String(PG_PORT), '-U', 'postgres', '-c', 'CREATE DATABASE n8n'], { stdio: 'ignore' });
	return () => asPostgres(['pg_ctl', '-D', data, '-m', 'fast', 'stop']);
}

const queueEnv = {
	DB_TYPE: 'postgresdb',
	DB_POSTGRESDB_HOST: '127.0.0.1',
	DB_POSTGRESDB_PORT: String(PG_PORT),
	DB_POSTGRESDB_USER: 'postgres',
	DB_POSTGRESDB_DATABASE: 'n8n',
	EXECUTIONS_MODE: 'queue',
	QUEUE_BULL_REDIS_HOST: '127.0.0.1',
	QUEUE_BULL_REDIS_PORT: String(REDIS_PORT),
	QUEUE_HEALTH_CHECK_ACTIVE: 'false',
};

/** The answers other than 200, by status: `503×10 500×1`, or '' when there are none. */
function refusedBy(statuses: number[]): string {
	const counts = new Map<number, number>();
	for (const status of statuses) if (status !== 200) counts.set(status, (counts.get(status) ?? 0) + 1);
	return [...counts].map(([status, count]) => `${status}×${count}`).join(' ');
}

async function post(url: string, body: unknown): Promise<number> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	await response.arrayBuffer();
	return response.status;
}

async function postAll(urls: string[], bodies: unknown[]): Promise<number[]> {
	const statuses: number[] = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < bodies.length) {
				const index = next++;
				statuses[index] = await post(urls[index % urls.length], bodies[index]);
			}
		}),
	);
	return statuses;
}

async function query(toolsModules: string, sql: string, params: unknown[]) {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Client } = require(join(toolsModules, 'pg')) as { Client: new (options: object) => { connect(): Promise<void>; query(sql: string, params: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>; end(): Promise<void> } };
	const client = new Client({ host: '127.0.0.1', port: PG_PORT, user: 'postgres', database: 'n8n' });
	await client.connect();
	try {
		return (await client.query(sql, params)).rows;
	} finally {
		await client.end();
	}
}

async function emittedItems(toolsModules: string, workflowId: string) {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const flatted = require(join(toolsModules, 'flatted')) as { parse(text: string): unknown };
	let last = -1;
	let rows: Array<Record<string, unknown>> = [];
	for (let stable = 0; stable < 6; ) {
		await new Promise((done) => setTimeout(done, 500));
		rows = await query(toolsModules, 'SELECT e.status, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = $1', [workflowId]);
		stable = rows.length === last ? stable + 1 : 0;
		last = rows.length;
	}
	return rows.flatMap((row) => {
		const data = flatted.parse(String(row.data)) as { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>> } };
		return (data.resultData?.runData?.[TRIGGER_NODE_NAME]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
	});
}

async function storedContacts(toolsModules: string, workflowId: string): Promise<number> {
	const [row] = await query(toolsModules, 'SELECT "staticData" FROM workflow_entity WHERE id = $1', [workflowId]);
	const staticData = (typeof row?.staticData === 'string' ? JSON.parse(row.staticData) : row?.staticData) as Record<string, { contacts?: string }> | null;
	const stored = staticData?.[`node:${TRIGGER_NODE_NAME}`]?.contacts;
	return stored ? decodeContacts(stored).contacts.length : 0;
}

async function scenario(name: string, urls: string[], workflowId: string, toolsModules: string) {
	const ids = Array.from({ length: CONTACTS }, (_, index) => `${workflowId}_${index}`);
	const began = Date.now();
	const first = await postAll(urls, interleavedSessions(ids));
	const replay = await postAll(urls, [...interleavedSessions(ids), ...ids.flatMap((id) => [perspectiveBody(id, false), perspectiveBody(id, true)])]);
	const refused = [...first, ...replay].filter((status) => status !== 200).length;
	const items = await emittedItems(toolsModules, workflowId);
	const count = (id: string, event: string) => items.filter((item) => item.id === id && item.event === event).length;
	const fields = ['address', 'cookies', 'email', 'phone', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'result'];
	const lostFields = items
		.filter((item) => item.event === 'funnel_completed')
		.filter((item) => fields.some((field) => !(field in (item.profile as object)))).length;
	const report = {
		scenario: name,
		requests: first.length + replay.length,
		refused,
		refusedBy: refusedBy([...first, ...replay]),
		seconds: Math.round((Date.now() - began) / 1000),
		new_lead: items.filter((item) => item.event === 'new_lead').length,
		funnel_completed: items.filter((item) => item.event === 'funnel_completed').length,
		contactsWithoutLead: ids.filter((id) => count(id, 'new_lead') === 0).length,
		contactsWithoutCompletion: ids.filter((id) => count(id, 'funnel_completed') === 0).length,
		duplicateLeads: ids.reduce((sum, id) => sum + Math.max(0, count(id, 'new_lead') - 1), 0),
		duplicateCompletions: ids.reduce((sum, id) => sum + Math.max(0, count(id, 'funnel_completed') - 1), 0),
		completionsMissingFields: lostFields,
		contactsInStoredState: await storedContacts(toolsModules, workflowId),
	};
	console.log(JSON.stringify(report));
	return report;
}

/** Each contact's New Lead body sent to both webhook processes at the same moment, 10 contacts at a time. */
async function sendPairs(urls: string[], ids: string[]): Promise<number[]> {
	const statuses: number[] = [];
	for (let start = 0; start < ids.length; start += 10) {
		const pairs = ids.slice(start, start + 10).map((id) => Promise.all(urls.map((url) => post(url, perspectiveBody(id, false)))));
		for (const pair of await Promise.all(pairs)) statuses.push(...pair);
	}
	return statuses;
}

interface RaceFigures {
	contacts: number;
	refused: number;
	refusedBy: string;
	new_lead: number;
	contactsWithoutLead: number;
	duplicateLeads: number;
	/** After every n8n process was restarted, the same bodies again. */
	replayRefused?: number;
	replayItems?: number;
}

/** The race's items so far: the New Lead items of this race's contacts. */
async function raceItems(toolsModules: string, workflowId: string) {
	return (await emittedItems(toolsModules, workflowId)).filter((item) => String(item.id).startsWith(`${workflowId}_race_`));
}

async function race(urls: string[], workflowId: string, toolsModules: string): Promise<RaceFigures> {
	const ids = Array.from({ length: CONTACTS }, (_, index) => `${workflowId}_race_${index}`);
	const statuses = await sendPairs(urls, ids);
	const items = await raceItems(toolsModules, workflowId);
	return {
		contacts: ids.length,
		refused: statuses.filter((status) => status !== 200).length,
		refusedBy: refusedBy(statuses),
		new_lead: items.length,
		contactsWithoutLead: ids.filter((id) => !items.some((item) => item.id === id)).length,
		duplicateLeads: items.length - new Set(items.map((item) => item.id)).size,
	};
}

async function replayRace(urls: string[], workflowId: string, toolsModules: string, figures: RaceFigures): Promise<void> {
	const before = (await raceItems(toolsModules, workflowId)).length;
	const ids = Array.from({ length: CONTACTS }, (_, index) => `${workflowId}_race_${index}`);
	const statuses = await sendPairs(urls, ids);
	figures.replayRefused = statuses.filter((status) => status !== 200).length;
	figures.replayItems = (await raceItems(toolsModules, workflowId)).length - before;
}

/** The keys the Redis trigger holds for a workflow, from the queue's Redis. */
function redisContactKeys(workflowId: string): number {
	const out = execFileSync('redis-cli', ['-p', String(REDIS_PORT), '--scan', '--pattern', `perspective-funnel:{${workflowId}:*}:contact:*`], { encoding: 'utf8' });
	return out.split('\n').filter(Boolean).length;
}

async function main() {
	const runtime = ensureRuntime(LINE);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	startRedis();
	const stopPostgres = startPostgres();
	try {
		// outside this repository, so that n8n alone resolves ioredis for the Redis package
		// E2E_REUSE_TARBALL=1 (as CI, after the end-to-end suite has packed both): the tarballs in .e2e/
		const reuse = process.env.E2E_REUSE_TARBALL === '1';
		const tarballs = [
			(reuse && existingTarball()) || packPackage(),
			(reuse && existingTarball(REDIS_PACKAGE_NAME)) || packRedisPackage(),
		];
		const userFolder = prepareUserFolder(`queue-n8n${LINE}`, tarballs, userFolderBase(true));
		const n8nProcess = (command: 'start' | 'worker' | 'webhook', port: number) =>
			new N8nProcess({ runtime, userFolder, port, command, env: queueEnv, logFile: join(dir, `n8n-${command}-${port}.log`) });
		const main = n8nProcess('start', PORTS.main);
		main.importWorkflows(
			[
				triggerWorkflow({ ...TWO_PROCESSES, name: 'Queue: two webhook processes' }),
				triggerWorkflow({ ...ONE_PROCESS, name: 'Queue: one webhook process' }),
				triggerWorkflow({ ...REDIS_TRIGGER, name: 'Queue: Redis trigger', redisCredentialId: REDIS_CREDENTIAL }),
			],
			[redisCredential(REDIS_CREDENTIAL, REDIS_PORT)],
		);
		processes.push(main, n8nProcess('worker', PORTS.worker), n8nProcess('webhook', PORTS.webhookA), n8nProcess('webhook', PORTS.webhookB));
		const [, , webhookA, webhookB] = processes;
		const two = [productionUrl(webhookA.baseUrl, TWO_PROCESSES.webhookId), productionUrl(webhookB.baseUrl, TWO_PROCESSES.webhookId)];
		const one = [productionUrl(webhookA.baseUrl, ONE_PROCESS.webhookId)];
		const redis = [productionUrl(webhookA.baseUrl, REDIS_TRIGGER.webhookId), productionUrl(webhookB.baseUrl, REDIS_TRIGGER.webhookId)];
		const startAll = async () => {
			for (const started of processes) await started.start();
			for (const url of [...two, ...one, ...redis]) await webhookA.waitForWebhook(url);
		};
		await startAll();
		console.log(`n8n ${runtime.version} in queue mode: main, worker, two webhook processes; PostgreSQL, Redis`);
		const reports = [
			await scenario('one webhook process', one, ONE_PROCESS.id, runtime.toolsModules),
			await scenario('two webhook processes, requests alternating', two, TWO_PROCESSES.id, runtime.toolsModules),
		];
		const races = {
			staticData: await race(two, TWO_PROCESSES.id, runtime.toolsModules),
			redis: await race(redis, REDIS_TRIGGER.id, runtime.toolsModules),
		};
		// every n8n process restarted, then every race body sent again to both webhook processes
		for (const started of [...processes].reverse()) await started.stop();
		await startAll();
		await replayRace(two, TWO_PROCESSES.id, runtime.toolsModules, races.staticData);
		await replayRace(redis, REDIS_TRIGGER.id, runtime.toolsModules, races.redis);
		console.log(`\nThe same New Lead body to both webhook processes at once, ${CONTACTS} contacts; then every n8n process restarted and every body sent again:`);
		console.table(races);
		console.log(`Redis trigger's contact keys in Redis: ${redisContactKeys(REDIS_TRIGGER.id)}; its workflow's static data holds ${await storedContacts(runtime.toolsModules, REDIS_TRIGGER.id)} contacts`);
		const lost =
			races.staticData.contactsWithoutLead > 0 ||
			reports.some((report) => report.contactsWithoutLead + report.contactsWithoutCompletion + report.completionsMissingFields > 0);
		const redisExact =
			races.redis.refused === 0 &&
			races.redis.contactsWithoutLead === 0 &&
			races.redis.duplicateLeads === 0 &&
			races.redis.replayRefused === 0 &&
			races.redis.replayItems === 0;
		process.exitCode = lost || !redisExact ? 1 : 0;
	} finally {
		for (const started of [...processes].reverse()) await started.stop();
		stopPostgres();
		for (const child of children) child.kill('SIGTERM');
	}
}

main().catch((error) => {
	console.error(error);
	for (const child of children) child.kill('SIGKILL');
	process.exit(1);
});
