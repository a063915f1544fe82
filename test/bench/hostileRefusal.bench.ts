/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * `npm run bench:refusals`: how long the trigger takes to refuse a hostile body of up to 16 MB
 * (n8n's body limit), measured inside the node's webhook() with n8n's side faked: the time the
 * event loop is blocked by our code for one request. n8n's own JSON.parse of the body comes
 * before and is not counted. The bodies are generated (fast-check, fixed seed): a container of
 * some kind (an answer's value list, a profile's keys or depth, answers, cookies, unknown keys,
 * long strings), filled with elements of some kind, to 1.9 MB (just under the trigger's own
 * bound on a body, 2,000,000 bytes, so it is read) or 16 MB.
 *
 * Not a test: nothing is asserted. Prints each body's shape, size, answer and time, then the worst.
 */
import fc from 'fast-check';
import { join } from 'path';

import { fakeWebhookContext } from '../helpers/fakeWebhookContext';

// The node's source, named with its extension: for ts-node, the codex file beside it
// (PerspectiveFunnelTrigger.node.json) would shadow a path without one.
/* eslint-disable @typescript-eslint/no-require-imports */
const { PerspectiveFunnelTrigger } = require(join(__dirname, '..', '..', 'nodes', 'PerspectiveFunnel', 'PerspectiveFunnelTrigger.node.ts')) as typeof import('../../nodes/PerspectiveFunnel/PerspectiveFunnelTrigger.node');
/* eslint-enable @typescript-eslint/no-require-imports */
const trigger = new PerspectiveFunnelTrigger();

const MB = 1024 * 1024;
const RECENT = new Date(Date.now() - 60_000).toISOString();

type Element = 'number' | 'boolean' | 'string' | 'null' | 'array' | 'object';
type Container = 'answer value' | 'profile keys' | 'profile value' | 'profile depth' | 'answers' | 'cookies' | 'unknown keys' | 'events' | 'long id' | 'meta keys';

const elementOf = (kind: Element, index: number): unknown => {
	switch (kind) {
		case 'number':
			return index;
		case 'boolean':
			return index % 2 === 0;
		case 'string':
			return 'x';
		case 'null':
			return null;
		case 'array':
			return [index];
		case 'object':
			return { v: index };
	}
};

/** How many elements of a kind make about `bytes` of JSON. */
const countFor = (kind: Element, bytes: number) => Math.floor(bytes / JSON.stringify(elementOf(kind, 123456)).length);

const response = (extra: Record<string, unknown>) => ({ type: 'response', contactId: 'c_hostile', funnelName: 'Solar check', timestamp: RECENT, ...extra });
const snapshot = (extra: Record<string, unknown>) => ({ id: 'c_hostile', funnelName: 'Solar check', meta: { lastSeenAt: RECENT }, ...extra });

/** A body of the shape, of about `bytes` as JSON (generated once, then scaled to the size). */
function bodyOf(container: Container, kind: Element, bytes: number): unknown {
	const first = shapedBody(container, kind, countFor(kind, bytes), bytes);
	return shapedBody(container, kind, Math.floor((countFor(kind, bytes) * bytes) / jsonSize(first)), bytes);
}

function shapedBody(container: Container, kind: Element, n: number, bytes: number): unknown {
	const list = () => Array.from({ length: n }, (_, index) => elementOf(kind, index));
	const keyed = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, elementOf(kind, index)]));
	switch (container) {
		case 'answer value':
			return response({ answers: [{ id: 'q', value: list() }] });
		case 'answers':
			return response({ answers: Array.from({ length: Math.min(n, 300) }, () => ({ id: 'q', value: list().slice(0, Math.floor(n / 300)) })) });
		case 'cookies':
			return response({ cookies: list() });
		case 'unknown keys':
			return response(keyed(Math.floor(n / 2)));
		case 'events':
			return Array.from({ length: 500 }, () => response({ answers: [{ id: 'q', value: list().slice(0, Math.floor(n / 500)) }] }));
		case 'profile keys':
			return snapshot({ profile: Object.fromEntries(Array.from({ length: Math.floor(n / 3) }, (_, index) => [`k${index}`, { value: elementOf(kind, index) }])) });
		case 'profile value':
			return snapshot({ profile: { q: { value: list(), title: 'Q' } } });
		case 'profile depth': {
			let node: unknown = { value: elementOf(kind, 0) };
			for (let depth = 0; depth < Math.floor(n / 4); depth++) node = { a: node };
			return snapshot({ profile: { deep: node } });
		}
		case 'meta keys':
			return snapshot({ meta: { lastSeenAt: RECENT, ...keyed(Math.floor(n / 2)) } });
		case 'long id':
			return response({ contactId: 'x'.repeat(bytes) });
	}
}

/** The body's size as JSON; for one nested too deep for JSON.stringify (n8n's parser takes it), counted by hand. */
function jsonSize(body: unknown): number {
	try {
		return JSON.stringify(body).length;
	} catch {
		let size = 0;
		let node: unknown = body;
		while (typeof node === 'object' && node !== null) {
			const [key, child] = Object.entries(node).at(-1) ?? ['', null];
			size += key.length + 5;
			node = child;
		}
		return size + 20;
	}
}

const containers: Container[] = ['answer value', 'answers', 'cookies', 'unknown keys', 'events', 'profile keys', 'profile value', 'profile depth', 'meta keys', 'long id'];
const elements: Element[] = ['number', 'boolean', 'string', 'null', 'array', 'object'];

async function main() {
	const megabytes = (process.env.BENCH_MB ?? '1.9,16').split(',').map(Number);
	const shapes = fc.sample(
		fc.record({ container: fc.constantFrom(...containers), element: fc.constantFrom(...elements), megabytes: fc.constantFrom(...megabytes) }),
		{ seed: 20261205, numRuns: Number(process.env.BENCH_BODIES ?? 40) },
	);
	// every container at the largest size at least once, whatever the sample drew
	for (const container of containers) shapes.push({ container, element: 'number', megabytes: Math.max(...megabytes) });
	// one small request first, so that no row carries the loading and compiling of the code
	const warmUp = fakeWebhookContext({ body: response({ answers: [{ id: 'q', value: [1] }] }) }, { workflowId: 'bench-warm-up', staticData: {} });
	await trigger.webhook.call(warmUp.context);
	const rows: Array<{ shape: string; size: number; status: number; error: string; ms: number }> = [];
	for (const { container, element, megabytes } of shapes) {
		const body = bodyOf(container, element, megabytes * MB);
		const size = jsonSize(body);
		// the size n8n read it with, as n8n keeps the raw body beside the parsed one
		const { context, recorded } = fakeWebhookContext({ body, rawBody: { length: size } }, { workflowId: `bench-${rows.length}`, staticData: {} });
		const started = process.hrtime.bigint();
		await trigger.webhook.call(context);
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		const error = String((recorded.json as { error?: string }).error ?? '');
		const row = { shape: `${container} of ${element}s`, size, status: recorded.status ?? 0, error, ms };
		if (rows.length === 0) console.log('| body | size | answer | time (ms) |\n| --- | ---: | --- | ---: |');
		rows.push(row);
		console.log(`| ${row.shape} | ${(row.size / MB).toFixed(1)} MB | ${row.status} ${row.error} | ${row.ms.toFixed(1)} |`);
	}
	const refused = rows.filter((row) => row.status !== 200);
	const worst = refused.reduce((a, b) => (b.ms > a.ms ? b : a), refused[0]);
	console.log(`\n${refused.length} of ${rows.length} bodies refused; worst refusal: ${worst.ms.toFixed(1)} ms (${worst.shape}, ${(worst.size / MB).toFixed(1)} MB)`);
	const accepted = rows.filter((row) => row.status === 200);
	if (accepted.length > 0) console.log(`accepted (not hostile enough to refuse): ${accepted.map((row) => `${row.shape} ${row.ms.toFixed(0)} ms`).join('; ')}`);
}

void main();
