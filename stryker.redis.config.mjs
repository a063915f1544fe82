// Mutation testing of the Redis package's code: `npm run test:mutation:redis` (see
// docs/mutation-testing.md, "The Redis memory"). The tests need real Redis servers: each test
// process of Stryker starts its own on ports of its own (test/redis/support/ports.ts reads
// STRYKER_MUTATOR_WORKER), so mutants tested at once never share a Redis. The Lua scripts are
// one string each to Stryker; their conditions are mutated by hand instead
// (`npm run test:mutation:redis-scripts`, scripts/test-redis-script-mutants.mjs).
import { readFileSync } from 'node:fs';

const NODE = 'redis/nodes/PerspectiveFunnelRedisTrigger/PerspectiveFunnelRedisTrigger.node.ts';

/**
 * The node file's code, not its description (data for n8n's editor, asserted by
 * test/trigger/redisTrigger.node.test.ts, as the main package's trigger/description.ts is left
 * out of its run): from keyPrefixOf to the class, and from `methods` to the end. Found by
 * text, so that edits elsewhere in the file move nothing.
 */
function nodeCodeRanges() {
	const lines = readFileSync(NODE, 'utf8').split('\n');
	const at = (start) => {
		const index = lines.findIndex((line) => line.trimStart().startsWith(start));
		if (index < 0) throw new Error(`${NODE} has no line starting with ${start}`);
		return index + 1;
	};
	return [`${NODE}:${at('function keyPrefixOf')}-${at('export class') - 1}`, `${NODE}:${at('methods = {')}-${lines.length}`];
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	packageManager: 'npm',
	testRunner: 'jest',
	jest: {
		configFile: 'jest.redis.config.js',
		config: {
			roots: ['<rootDir>/test/redis', '<rootDir>/test/trigger'],
			// the Redis tests, and the unit test of the node's description and credentials
			testMatch: ['**/test/redis/**/*.redis.test.ts', '**/test/trigger/redisTrigger.node.test.ts'],
		},
		enableFindRelatedTests: false,
	},
	checkers: ['typescript'],
	tsconfigFile: 'redis/tsconfig.json',
	coverageAnalysis: 'perTest',
	// the credentials are data, asserted by test/trigger/redisTrigger.node.test.ts
	mutate: ['redis/nodes/PerspectiveFunnelRedisTrigger/redisMemory.ts', 'redis/nodes/PerspectiveFunnelRedisTrigger/connection.ts', ...nodeCodeRanges()],
	incremental: true,
	incrementalFile: 'test/mutation/stryker-redis-incremental.json',
	ignorePatterns: ['dist', 'docs', '.e2e', '.n8n-runtime', 'coverage', 'reports', 'redis/dist', '.stryker-tmp', 'test/redis/.mutant'],
	reporters: ['clear-text', 'progress', 'html', 'json'],
	htmlReporter: { fileName: 'reports/mutation/redis.html' },
	jsonReporter: { fileName: 'reports/mutation/redis.json' },
	clearTextReporter: { allowColor: false, logTests: false },
	// 2 cores, and each test process runs Redis servers beside it
	concurrency: 2,
	// a Redis test waits on purpose (a reply held back 3 s, a silent Redis 10 s)
	timeoutMS: 20_000,
	thresholds: { high: 99, low: 95, break: 90 },
	tempDirName: '.stryker-tmp-redis',
	cleanTempDir: true,
};
