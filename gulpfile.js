const { cpSync, existsSync, readFileSync, rmSync } = require('fs');
const path = require('path');
const { series, task } = require('gulp');

// The last step of `npm run build`, after `n8n-node build` (tsc over tsconfig.json, which also
// emits the codex *.node.json files, and a copy of the icons): what the CLI does not do is
// check that dist/ is the whole package n8n will load. Each node and credential that
// package.json lists must be there, with its codex file and every icon its code names, and
// nothing of the tests or scripts.
/** What is missing from the built package in `dir` (its package.json's nodes and credentials, codex files, icons). */
function distProblems(dir, stray) {
	const { n8n } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const problems = [];
	for (const listed of [...n8n.nodes, ...n8n.credentials]) {
		const built = path.join(dir, listed);
		if (!existsSync(built)) {
			problems.push(`${built} is listed in ${dir}/package.json but was not built`);
			continue;
		}
		const source = path.join(dir, listed.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		const codex = built.replace(/\.js$/, '.json');
		if (source.endsWith('.node.ts') && !existsSync(codex)) problems.push(`the codex file ${codex} is missing`);
		for (const [, icon] of readFileSync(source, 'utf8').matchAll(/'file:([^']+)'/g)) {
			const file = path.join(path.dirname(built), icon);
			if (!existsSync(file)) problems.push(`${file}, the icon ${source} names, is missing`);
		}
	}
	for (const folder of stray) {
		if (existsSync(path.join(dir, folder))) problems.push(`${path.join(dir, folder)} must not be in the package`);
	}
	return problems;
}

function report(problems, done) {
	if (problems.length === 0) return done();
	const error = new Error(`dist/ is incomplete:\n- ${problems.join('\n- ')}`);
	error.showStack = false; // gulp prints the message alone
	done(error);
}

// n8n-node build copies every image in the tree into dist/: the Redis package's icons
// (redis/) belong to that package, and the screenshots of docs/ (docs/screens, 0.9 MB) to the
// repository, not to the package n8n installs.
const PRUNED = ['dist/redis', 'dist/docs'];
const STRAY = ['dist/test', 'dist/scripts', ...PRUNED];
task('dist:prune', (done) => {
	for (const folder of PRUNED) rmSync(folder, { recursive: true, force: true });
	done();
});

task('check:dist', series('dist:prune', (done) => report(distProblems('.', STRAY), done)));

// The Redis package (redis/) is built from the same tree: esbuild bundles each of its node and
// credential files with the core they import from nodes/PerspectiveFunnel/, so its tarball
// holds three self-contained files and no link or copy of the core lives in git. What n8n
// provides stays outside the bundle and is required at run time: n8n-workflow and zod, and
// ioredis (n8n ships it; it resolves through n8n's NODE_PATH). See docs/development.md.
const REDIS_ENTRIES = [
	'redis/nodes/PerspectiveFunnelRedisTrigger/PerspectiveFunnelRedisTrigger.node.ts',
	'redis/credentials/PerspectiveFunnelRedisApi.credentials.ts',
	'redis/credentials/PerspectiveFunnelRedisWebhookApi.credentials.ts',
];

task('redis:clean', (done) => {
	rmSync('redis/dist', { recursive: true, force: true });
	done();
});

task('redis:bundle', async () => {
	const esbuild = require('esbuild');
	await esbuild.build({
		entryPoints: REDIS_ENTRIES,
		outdir: 'redis/dist',
		outbase: 'redis',
		bundle: true,
		platform: 'node',
		target: 'node20',
		format: 'cjs',
		external: ['n8n-workflow', 'zod', 'ioredis'],
		logLevel: 'warning',
	});
});

// The codex file beside the node, the package's icons, and the repository's licence (npm packs
// a LICENSE file from the package folder; the copy is made here, not kept in git).
task('redis:assets', (done) => {
	const codex = 'nodes/PerspectiveFunnelRedisTrigger/PerspectiveFunnelRedisTrigger.node.json';
	cpSync(path.join('redis', codex), path.join('redis/dist', codex));
	cpSync('redis/icons', 'redis/dist/icons', { recursive: true });
	cpSync('LICENSE.md', 'redis/LICENSE.md');
	done();
});

task('redis:check', (done) => {
	const problems = distProblems('redis', ['dist/test', 'dist/scripts', 'dist/nodes/PerspectiveFunnel']);
	if (!existsSync('redis/LICENSE.md')) problems.push('redis/LICENSE.md is missing');
	report(problems, done);
});

task('build:redis', series('redis:clean', 'redis:bundle', 'redis:assets', 'redis:check'));
