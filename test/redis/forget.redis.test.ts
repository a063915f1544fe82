/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published; ioredis is the Redis package's devDependency */
/**
 * Forgetting, safely (issue 20, item 4): the shell functions the Redis package's README gives
 * (`forget_node`, `forget_contact`), run as written, with redis-cli, by bash and by a plain
 * POSIX sh, against contact IDs and key prefixes meant to break them (spaces, quotes,
 * newlines, glob characters, braces, another node's key inside an ID, an option, a command
 * substitution). They delete the node's keys, or the one contact, and nothing else.
 * `npm run test:redis`.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import type { Redis } from 'ioredis';
import { tmpdir } from 'os';
import { join } from 'path';

import { KeySpace } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/redisMemory';
import { RedisServer } from '../../scripts/lib/redis';
import { PORTS } from './support/ports';
import { connect } from './support/memory';

const README = join(__dirname, '../../redis/README.md');
const SHELLS = ['bash', 'sh'];
const work = mkdtempSync(join(tmpdir(), 'perspective-forget-'));
/** What the IDs below that try a command substitution would create, in the shell's directory. */
const PWNED = join(work, 'pwned');

const HOSTILE_IDS = [
	'x perspective-funnel:{wfB:nodeB}:contact:victim',
	"o'neil@example.com",
	'line\nbreak\r\n',
	'glob*?[]\\',
	'{wfB:nodeB}',
	'"double" \\back\\slash',
	'-p 1',
	'$(touch pwned)',
	'`touch pwned`',
	'Zoë 🦊',
	'',
];

/** Keys no forgetting of node A may touch: other nodes, other prefixes, n8n's own queue. */
const OTHERS = [
	'perspective-funnel:{wfB:nodeB}:contact:victim',
	'perspective-funnel:{wfB:nodeB}:seen',
	'perspective-funnel:{wfA:nodeA2}:contact:c',
	'perspective-funnel:{wfA1:nodeA}:contact:c',
	'perspective-funnel:{wfA:nodeA',
	'perspective-funnel:{wfA:nodeA}',
	'perspective-funnel-2:{wfA:nodeA}:contact:c',
	'Xperspective-funnel:{wfA:nodeA}:contact:c',
	'bull:jobs:1',
	// would match the glob of prefix p*[x]? if its characters were not escaped
	'pAAx1:{wfG:nodeG}:contact:c',
	'p*[x]?:{wfG:nodeG2}:contact:c',
];

let server: RedisServer;
let client: Redis;
let recipe: string;

/** The README's shell block that defines the forget functions, as a user would paste it. */
function recipeFromReadme(): string {
	const blocks = [...readFileSync(README, 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
	const block = blocks.find((text) => text.includes('forget_node()') && text.includes('forget_contact()'));
	if (!block) throw new Error('redis/README.md has no sh block defining forget_node() and forget_contact()');
	const file = join(work, 'forget.sh');
	writeFileSync(file, block);
	return file;
}

/** Runs one of the README's functions in `shell`, its arguments passed as they are (no shell parsing). */
function run(shell: string, fn: string, args: string[]): string {
	return execFileSync(shell, ['-c', `. "$0"; ${fn} "$@"`, recipe, ...args, '-h', '127.0.0.1', '-p', String(PORTS.forget)], { encoding: 'utf8', cwd: work });
}

beforeAll(async () => {
	recipe = recipeFromReadme();
	server = await RedisServer.start(PORTS.forget);
	client = connect(PORTS.forget);
});

afterAll(async () => {
	client?.disconnect();
	await server?.stop();
	rmSync(work, { recursive: true, force: true });
});

beforeEach(async () => {
	await client.flushall();
	const nodeA = new KeySpace('perspective-funnel', 'wfA', 'nodeA');
	const nodeG = new KeySpace('p*[x]?', 'wfG', 'nodeG');
	for (const keys of [nodeA, nodeG]) {
		for (const id of HOSTILE_IDS) {
			await client.set(keys.contact(id), `contact ${id}`);
			await client.zadd(keys.seen, 1, id);
		}
		await client.set(keys.receipt('token'), 'kept');
	}
	// enough keys for SCAN to take several rounds
	const pipeline = client.pipeline();
	for (let index = 0; index < 2_500; index++) pipeline.set(nodeA.contact(`bulk${index}`), 'x');
	await pipeline.exec();
	for (const key of OTHERS) await client.set(key, 'keep me');
});

const remaining = async () => (await client.keys('*')).sort();

describe.each(SHELLS)('forget_node in %s', (shell) => {
	it("deletes every key of node A and only those, whatever its contacts' IDs", async () => {
		expect(run(shell, 'forget_node', ['perspective-funnel', 'wfA', 'nodeA'])).toBe(`${2_500 + HOSTILE_IDS.length + 2} keys deleted\n`);
		const left = await remaining();
		expect(left.filter((key) => key.startsWith('perspective-funnel:{wfA:nodeA}:'))).toEqual([]);
		expect(left).toEqual(expect.arrayContaining(OTHERS));
		expect(existsSync(PWNED)).toBe(false);
	});

	it('takes a Key Prefix with glob characters literally', async () => {
		run(shell, 'forget_node', ['p*[x]?', 'wfG', 'nodeG']);
		const left = await remaining();
		expect(left.filter((key) => key.startsWith('p*[x]?:{wfG:nodeG}:'))).toEqual([]);
		expect(left).toEqual(expect.arrayContaining(OTHERS));
		expect(left.filter((key) => key.startsWith('perspective-funnel:{wfA:nodeA}:'))).toHaveLength(2_500 + HOSTILE_IDS.length + 2);
	});

	it('stops with an error, deleting nothing, when Redis refuses the script (an ACL user without EVAL)', async () => {
		await client.acl('SETUSER', 'limited', 'on', '>limited-password', '~*', '+@all', '-eval');
		const before = await remaining();
		const forget = () =>
			execFileSync(shell, ['-c', `. "$0"; forget_node "$@"`, recipe, 'perspective-funnel', 'wfA', 'nodeA', '-p', String(PORTS.forget), '--user', 'limited'], {
				env: { ...process.env, REDISCLI_AUTH: 'limited-password' },
				stdio: 'pipe',
				cwd: work,
			});
		expect(forget).toThrow(/forget_node: NOPERM/);
		expect(await remaining()).toEqual(before);
	});
});

describe.each(SHELLS)('forget_contact in %s', (shell) => {
	it.each(HOSTILE_IDS.map((id) => [JSON.stringify(id), id]))('forgets contact %s of node A: its key and its entry, nothing else', async (_, id) => {
		const before = await remaining();
		const nodeA = new KeySpace('perspective-funnel', 'wfA', 'nodeA');
		expect(run(shell, 'forget_contact', ['perspective-funnel', 'wfA', 'nodeA', id]).trim()).toBe('1');
		expect(await remaining()).toEqual(before.filter((key) => key !== nodeA.contact(id)));
		expect(await client.zscore(nodeA.seen, id)).toBeNull();
		expect(await client.zcard(nodeA.seen)).toBe(HOSTILE_IDS.length - 1);
		expect(existsSync(PWNED)).toBe(false);
	});
});
