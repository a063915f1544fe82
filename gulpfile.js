const { existsSync, readFileSync } = require('fs');
const path = require('path');
const { task } = require('gulp');

// The last step of `npm run build`, after `n8n-node build` (tsc over tsconfig.json, which also
// emits the codex *.node.json files, and a copy of the icons): what the CLI does not do is
// check that dist/ is the whole package n8n will load. Each node and credential that
// package.json lists must be there, with its codex file and every icon its code names, and
// nothing of the tests or scripts.
task('check:dist', (done) => {
	const { n8n } = JSON.parse(readFileSync('package.json', 'utf8'));
	const problems = [];
	for (const built of [...n8n.nodes, ...n8n.credentials]) {
		if (!existsSync(built)) {
			problems.push(`${built} is listed in package.json but was not built`);
			continue;
		}
		const source = built.replace(/^dist\//, '').replace(/\.js$/, '.ts');
		const codex = source.replace(/\.ts$/, '.json');
		if (source.endsWith('.node.ts') && !existsSync(path.join('dist', codex))) {
			problems.push(`the codex file dist/${codex} is missing`);
		}
		for (const [, icon] of readFileSync(source, 'utf8').matchAll(/'file:([^']+)'/g)) {
			const file = path.join(path.dirname(built), icon);
			if (!existsSync(file)) problems.push(`${file}, the icon ${source} names, is missing`);
		}
	}
	for (const stray of ['dist/test', 'dist/scripts']) {
		if (existsSync(stray)) problems.push(`${stray} must not be in the package`);
	}
	if (problems.length === 0) return done();
	const error = new Error(`dist/ is incomplete:\n- ${problems.join('\n- ')}`);
	error.showStack = false; // gulp prints the message alone
	done(error);
});
