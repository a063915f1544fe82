// `npm run scan`: n8n's own community-package scanner (@n8n/scan-community-package, the check
// n8n runs before it lists or verifies a package) on what npm would publish. The published
// scan downloads a package from the registry; this runs its analyzePackage on the packed
// tarball (compiled .js and package.json) and on the source (package.json, nodes/, credentials/),
// the two legs it scans for a published version; then the same for the Redis package in redis/.
// Run after both builds (`npm run scan` builds).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { SOURCE_FILE_PATTERNS, analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const work = mkdtempSync(join(tmpdir(), 'perspective-scan-'));
try {
	let failed = false;
	for (const folder of ['.', './redis']) {
		const tarball = execFileSync('npm', ['pack', folder, '--silent', '--pack-destination', work], { encoding: 'utf8' })
			.trim()
			.split('\n')
			.pop();
		const unpacked = join(work, folder === '.' ? 'main' : 'redis');
		mkdirSync(unpacked);
		execFileSync('tar', ['-xzf', join(work, tarball), '-C', unpacked, '--strip-components=1']);
		const legs = [
			['packed tarball', await analyzePackage(unpacked, ['**/*.js', 'package.json'])],
			['source', await analyzePackage(resolve(folder), SOURCE_FILE_PATTERNS)],
		];
		for (const [leg, result] of legs) {
			const name = `${tarball.replace(/-\d+\.\d+\.\d+\.tgz$/, '')}`;
			console.log(`${result.passed ? 'passed' : 'FAILED'}: n8n's community-package scan of ${name}, ${leg}${result.message ? ` (${result.message})` : ''}`);
			if (result.details) console.log(result.details);
			failed ||= !result.passed;
		}
	}
	process.exitCode = failed ? 1 : 0;
} finally {
	rmSync(work, { recursive: true, force: true });
}
