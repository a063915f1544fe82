// `npm run scan`, last step: proves that n8n's n8n Cloud guard still sees the main package.
// n8n allows a community package's code to import only n8n-workflow, zod, lodash and a few
// others, or what its package.json declares as a devDependency. ioredis is declared by the
// Redis package (redis/package.json) alone; were it a devDependency of the root package.json
// again, a main-package file importing it would pass both checks. So each check is run here
// on a planted import and must refuse it:
// - n8n-node lint's rules (eslint.config.mjs) on a file in nodes/ that imports ioredis;
// - n8n's scanner (analyzePackage) on the packed main tarball with a compiled file that requires it.
// And, so that the check cannot pass by refusing everything, the same import from the Redis
// package's folder must pass the lint.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';
import { ESLint } from 'eslint';

const RULE = '@n8n/community-nodes/no-restricted-imports';
const planted = "import { Redis } from 'ioredis';\n\nexport const client = (): Redis => new Redis();\n";

async function lintFindings(file) {
	const eslint = new ESLint({ cwd: resolve('.') });
	const [result] = await eslint.lintText(planted, { filePath: resolve(file) });
	return result.messages.filter((message) => message.ruleId === RULE);
}

const problems = [];
if ((await lintFindings('nodes/PerspectiveFunnel/planted.ts')).length === 0) {
	problems.push('n8n-node lint lets a main-package file import ioredis');
}
if ((await lintFindings('redis/nodes/PerspectiveFunnelRedisTrigger/planted.ts')).length > 0) {
	problems.push("n8n-node lint refuses ioredis in the Redis package too: the check above proves nothing");
}

const work = mkdtempSync(join(tmpdir(), 'perspective-guard-'));
try {
	const tarball = execFileSync('npm', ['pack', '.', '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim().split('\n').pop();
	const unpacked = join(work, 'main');
	mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', join(work, tarball), '-C', unpacked, '--strip-components=1']);
	writeFileSync(join(unpacked, 'dist/nodes/PerspectiveFunnel/planted.js'), 'const { Redis } = require("ioredis");\nmodule.exports = { Redis };\n');
	const result = await analyzePackage(unpacked, ['**/*.js', 'package.json']);
	if (result.passed || !String(result.details).includes('ioredis')) {
		problems.push("n8n's scanner passes a main-package tarball that requires ioredis");
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
	console.log(`FAILED: n8n's Cloud guard\n- ${problems.join('\n- ')}`);
	process.exitCode = 1;
} else {
	console.log("passed: n8n's Cloud guard refuses ioredis planted in the main package (lint and scanner), and the lint allows it in redis/");
}
