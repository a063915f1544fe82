// npm run test:mutation:redis-scripts [-- [--all] <id> ...]: hand mutants of what Stryker
// cannot mutate in the Redis package: the Lua scripts (COMMIT_SCRIPT, FENCE_SCRIPT and their
// shared checks in redis/nodes/PerspectiveFunnelRedisTrigger/redisMemory.ts), which it sees as
// one string each, and the numbers that bound time (Stryker has no mutator for numbers); and
// the issue's hand mutants of the code (the arrival queue, the credential's database, the Key
// Prefix's braces). Each mutant replaces one piece of text in redisMemory.ts, connection.ts or
// the node file; the three are written to test/redis/.mutant/ (ignored by git: the sources are
// never touched, so a Stryker run copying the project meanwhile sees none of it), one of them
// changed, and jest runs `npm run test:redis`'s tests with every import of them mapped there.
// A mutant is killed when a test fails. jest stops at the first failing test file unless
// `--all` is given, which runs every test and prints each failing one. Needs redis-server, as
// npm run test:redis does; run it under `flock /tmp/perspective-redis.lock`. Prints a table
// and exits 1 when one survives.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILES = {
	memory: 'redis/nodes/PerspectiveFunnelRedisTrigger/redisMemory.ts',
	connection: 'redis/nodes/PerspectiveFunnelRedisTrigger/connection.ts',
	node: 'redis/nodes/PerspectiveFunnelRedisTrigger/PerspectiveFunnelRedisTrigger.node.ts',
};
const MUTANT_DIR = 'test/redis/.mutant';

/** Each mutant of the scripts: the text to replace (exactly once in redisMemory.ts), its replacement, what it breaks. */
const SCRIPT_MUTANTS = [
	['no-deadline', "if now_ms() > tonumber(ARGV[1]) then return -1 end", '', 'a commit that arrives after its window is kept'],
	['window-10-min', "if now_ms() > tonumber(ARGV[1]) then return -1 end", "if now_ms() > tonumber(ARGV[1]) + 600000 then return -1 end", 'the commit window 10 minutes longer'],
	['clock-micros', 'math.floor(tonumber(time[2]) / 1000)', 'tonumber(time[2])', "Redis's clock read with microseconds as milliseconds"],
	['no-fence-check', "if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end", '', 'a voided commit still commits'],
	['cas-first-key-only', "for i = 1, n do\n  local current", "for i = 1, math.min(n, 1) do\n  local current", 'the compare-and-set checks only the first contact'],
	['cas-never', "if (current or '') ~= ARGV[6 + (i - 1) * 6 + 1] then return 0 end", '', 'the compare-and-set never refuses'],
	['cas-absent-as-any', "(current or '') ~= ARGV", '(current or ARGV[6 + (i - 1) * 6 + 1]) ~= ARGV', 'a contact deleted meanwhile is not noticed'],
	['no-receipt', "redis.call('SET', KEYS[2], 'kept', 'PX', ARGV[6])\n", '', 'a commit leaves no receipt'],
	['no-expiry', "redis.call('SET', KEYS[i + 2], ARGV[base + 3], 'PXAT', ARGV[base + 4])", "redis.call('SET', KEYS[i + 2], ARGV[base + 3])", 'contact keys never expire'],
	['zadd-by-expiry', "redis.call('ZADD', KEYS[1], ARGV[base + 5], ARGV[base + 6])", "redis.call('ZADD', KEYS[1], ARGV[base + 4], ARGV[base + 6])", 'the sorted set scored by expiry instead of last seen'],
	['forget-keeps-key', "redis.call('DEL', KEYS[i + 2])\n", '', 'a forgotten contact keeps its key'],
	['forget-keeps-entry', "redis.call('ZREM', KEYS[1], ARGV[base + 6])\n", '', 'a forgotten contact keeps its sorted set entry'],
	['no-horizon-trim', "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])\n", '', 'the sorted set keeps contacts past Retention'],
	['horizon-inclusive', "'(' .. ARGV[2]", 'ARGV[2]', 'a contact seen exactly at the horizon is dropped'],
	['max-contacts-plus-one', "- tonumber(ARGV[3])", '- tonumber(ARGV[3]) - 1', 'one contact more than Max Contacts kept'],
	['evict-keeps-keys', "for j = 1, #evicted, 2 do redis.call('DEL', ARGV[4] .. evicted[j]) end", '', 'evicted contacts keep their keys'],
	['evict-wrong-field', "redis.call('DEL', ARGV[4] .. evicted[j])", "redis.call('DEL', ARGV[4] .. evicted[j + 1])", 'eviction deletes by score instead of ID'],
	['set-never-expires', "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIREAT', KEYS[1], ARGV[5]) end", '', 'the sorted set never expires'],
	['commit-says-changed', 'return 1\n`;', 'return 0\n`;', 'a kept commit reported as a conflict'],
	['no-arg-count', "if #ARGV ~= 6 + n * 6 then return redis.error_reply('perspective-funnel: malformed commit') end", '', 'a malformed argument list goes unchecked'],
	['no-bounds-check', 'if not (whole(ARGV[1], 0) and whole(ARGV[2], -999999999999999) and whole(ARGV[3], 1) and whole(ARGV[5], 1) and whole(ARGV[6], 1)) then', 'if false then', 'the bounds go unchecked'],
	['no-seen-type-check', "if seen_type ~= 'zset' and seen_type ~= 'none' then", 'if false then', "the sorted set key's type goes unchecked"],
	['no-contact-check', "if ARGV[base + 3] == '' or not whole(ARGV[base + 4], 1) or not whole(ARGV[base + 5], 0) then", 'if false then', 'what a contact would store goes unchecked'],
	['no-op-check', "elseif op ~= 'd' and op ~= '' then", "elseif false then", 'an unknown operation goes unchecked'],
	['whole-19-digits', '#digits <= 15', '#digits <= 19', 'numbers past what Lua holds exactly accepted'],
	['whole-no-least', 'and tonumber(value) >= least', '', 'zero and negative bounds accepted'],
	['whole-no-anchor', "'^%-?%d+$'", "'%-?%d+'", 'a number with other characters around it accepted'],
	['fence-ignores-receipt', 'if state then return state end', '', 'the fence voids a kept commit'],
	['fence-no-mark', "local marked = redis.pcall('SET', KEYS[1], 'void', 'PX', ARGV[2])", 'local marked = true', 'the fence does not void: a late commit still commits'],
	['fence-marks-kept', "redis.pcall('SET', KEYS[1], 'void', 'PX', ARGV[2])", "redis.pcall('SET', KEYS[1], 'kept', 'PX', ARGV[2])", 'the fence marks the receipt as kept'],
	['fence-mark-failure-ignored', 'and not late then', 'and false then', 'the fence says void though it could not mark before the deadline'],
	['fence-late-as-error', "local late = now_ms() > tonumber(ARGV[1])", 'local late = false', 'the fence fails when it cannot mark after the deadline'],
	['fence-no-check', "if not (whole(ARGV[1], 0) and whole(ARGV[2], 1)) then return redis.error_reply('perspective-funnel: malformed fence') end", '', "the fence's arguments go unchecked"],
];

/** Mutants of the TypeScript that Stryker cannot make: file, text, replacement, what it breaks. */
const CODE_MUTANTS = [
	['commit-window-10-min', 'memory', 'COMMIT_WINDOW_MS = 2_000', 'COMMIT_WINDOW_MS = 600_000', 'the commit window 10 minutes'],
	['queue-wait-60-s', 'memory', 'QUEUE_WAIT_MS = 2_000', 'QUEUE_WAIT_MS = 60_000', 'a request waits a minute behind the others'],
	['outcome-wait-60-s', 'memory', 'OUTCOME_WAIT_MS = 10_000', 'OUTCOME_WAIT_MS = 60_000', 'a silent Redis holds the request a minute'],
	['outcome-wait-0', 'memory', 'OUTCOME_WAIT_MS = 10_000', 'OUTCOME_WAIT_MS = 0', 'the request asks Redis once, then gives up'],
	['outcome-pause-0', 'memory', 'OUTCOME_PAUSE_MS = 250', 'OUTCOME_PAUSE_MS = 0', 'no pause between two questions'],
	['receipt-1-ms', 'memory', 'RECEIPT_TTL_MS = 60_000', 'RECEIPT_TTL_MS = 1', 'the receipt is gone before anyone asks'],
	['attempts-1', 'memory', 'MAX_ATTEMPTS = 10', 'MAX_ATTEMPTS = 1', 'a request that lost a race answers 503'],
	['retry-after-50', 'memory', 'RETRY_AFTER_SECONDS = 5', 'RETRY_AFTER_SECONDS = 50', 'Retry-After: 50'],
	['commit-error-500', 'memory', 'throw this.unavailable(`Redis refused the commit', 'throw new Error(`Redis refused the commit', 'a commit error answered 500 instead of 503'],
	['command-timeout-30-s', 'connection', 'COMMAND_TIMEOUT_MS = 2_500', 'COMMAND_TIMEOUT_MS = 30_000', 'the command timeout 30 s'],
	['connect-timeout-60-s', 'connection', 'CONNECT_TIMEOUT_MS = 2_000', 'CONNECT_TIMEOUT_MS = 60_000', 'connecting may take a minute'],
	['retry-delay-0', 'connection', 'Math.min(times * 200, 2_000)', '0', 'reconnecting without a pause'],
	['too-late-500', 'memory', "throw this.unavailable('Redis took too long to commit')", "throw new Error('Redis took too long to commit')", 'a commit refused as too late answered 500 instead of 503'],
	['voided-500', 'memory', 'throw this.unavailable(`Redis did not answer the commit in time', 'throw new Error(`Redis did not answer the commit in time', 'a commit voided after its reply was lost answered 500 instead of 503'],
	['queue-removed', 'memory', 'arrivalQueueOf(this.client),', 'new Map(),', 'no arrival-order queue: requests of one process race each other'],
	['queue-never-emptied', 'memory', 'for (const key of keys) if (queueTails.get(key) === mine) queueTails.delete(key);', '', "the queue's entries are never deleted (a leak)"],
	['database-ignored', 'connection', 'db: Number(credential.database) || 0,', 'db: 0,', "the credential's database ignored"],
	['prefix-braces-kept', 'node', ".replace(/[{}]/g, '')", '', 'braces in the Key Prefix kept: a prefix can move the hash tag'],
];

const MUTANTS = [...SCRIPT_MUTANTS.map(([id, from, to, breaks]) => [id, 'memory', from, to, breaks]), ...CODE_MUTANTS];
const all = process.argv.includes('--all');
const only = new Set(process.argv.slice(2).filter((arg) => arg !== '--all'));
const sources = Object.fromEntries(Object.entries(FILES).map(([name, path]) => [name, readFileSync(path, 'utf8')]));
const config = join(MUTANT_DIR, 'jest.config.js');
const mapped = Object.values(FILES).map((path) => path.split('/').at(-1).replace(/\.ts$/, ''));
const results = [];

for (const [id, file, from, to, breaks] of MUTANTS) {
	if (only.size > 0 && !only.has(id)) continue;
	const source = sources[file];
	const at = source.indexOf(from);
	if (at < 0 || source.indexOf(from, at + 1) >= 0) throw new Error(`mutant ${id}: its text must occur exactly once in ${FILES[file]}`);
	mkdirSync(MUTANT_DIR, { recursive: true });
	// at the sources' depth, so that their relative imports resolve unchanged
	for (const [name, path] of Object.entries(FILES)) {
		const text = name === file ? source.slice(0, at) + to + source.slice(at + from.length) : sources[name];
		writeFileSync(join(MUTANT_DIR, path.split('/').at(-1)), text);
	}
	const mapper = Object.fromEntries(mapped.map((name) => [`(^|/)${name.replace(/\./g, '\\.')}$`, `<rootDir>/${MUTANT_DIR}/${name}.ts`]));
	writeFileSync(config, `const base = require('../../../jest.redis.config.js');\nmodule.exports = { ...base, rootDir: '../../..', moduleNameMapper: ${JSON.stringify(mapper)} };\n`);
	const started = Date.now();
	const run = spawnSync('npx', ['jest', '-c', config, ...(all ? [] : ['--bail']), '--silent'], { encoding: 'utf8' });
	const output = `${run.stdout}\n${run.stderr}`;
	const failed = [...output.matchAll(/● (.+)$/gm)].map((match) => match[1]).filter((name) => !name.startsWith('Console'));
	const killed = run.status !== 0;
	results.push({ id, breaks, status: killed ? 'killed' : 'SURVIVED', by: failed[0] ?? '', seconds: Math.round((Date.now() - started) / 1000) });
	console.log(`${killed ? 'killed  ' : 'SURVIVED'} ${id} (${results.at(-1).seconds} s)${failed[0] ? `: ${failed[0]}` : ''}`);
	if (all) for (const name of failed.slice(1)) console.log(`         also: ${name}`);
}
rmSync(MUTANT_DIR, { recursive: true, force: true });

const killed = results.filter((result) => result.status === 'killed').length;
console.log(`\n| mutant | what it breaks | result | first failing test |\n| --- | --- | --- | --- |`);
for (const result of results) console.log(`| ${result.id} | ${result.breaks} | ${result.status} | ${result.by} |`);
console.log(`\n${killed} of ${results.length} killed (${((100 * killed) / results.length).toFixed(1)} %)`);
process.exitCode = killed === results.length ? 0 : 1;
