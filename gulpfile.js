const { execFileSync } = require('child_process');
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

// n8n-node build copies every icon in the tree into dist/, those of a built Redis package
// (redis/dist/) too: they belong to that package, not this one.
task('dist:prune', (done) => {
	rmSync('dist/redis', { recursive: true, force: true });
	done();
});

task('check:dist', series('dist:prune', (done) => report(distProblems('.', ['dist/test', 'dist/scripts', 'dist/redis']), done)));

// The Redis package (redis/): its own node and credentials, and the main package's core
// through the link redis/nodes/PerspectiveFunnel (tsc with preserveSymlinks compiles it as
// the package's own), plus the icons the links point at, copied as files.
task('redis:clean', (done) => {
	rmSync('redis/dist', { recursive: true, force: true });
	done();
});

task('redis:tsc', (done) => {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'redis/tsconfig.json'], { stdio: 'inherit' });
	done();
});

task('redis:assets', (done) => {
	for (const folder of ['nodes/PerspectiveFunnelRedisTrigger', 'credentials']) {
		for (const icon of ['perspective.svg', 'perspective.dark.svg']) {
			cpSync(path.join('redis', folder, icon), path.join('redis/dist', folder, icon), { dereference: true });
		}
	}
	done();
});

task('redis:check', (done) =>
	report(distProblems('redis', ['dist/test', 'dist/scripts', 'dist/nodes/PerspectiveFunnel/PerspectiveFunnel.node.js']), done),
);

task('build:redis', series('redis:clean', 'redis:tsc', 'redis:assets', 'redis:check'));
