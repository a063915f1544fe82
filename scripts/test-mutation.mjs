// npm run test:mutation [-- stryker options]: Stryker's incremental run, with its record
// (test/mutation/stryker-incremental.json, git-ignored: kept locally and in the mutation
// workflow's cache) prepared before and compacted after.
// `node scripts/test-mutation.mjs <config>.config.mjs [stryker options]` does the same for
// another configuration and its record (`incrementalFile`): npm run test:mutation:redis.
//
// Before: the recorded survivors and uncovered mutants are forgotten, so that every run tests
// them again. Stryker reuses a result that is not "Killed" when no test covering the mutant
// changed; for a static mutant (one that runs once, when a module loads: a zod schema, a table
// of titles) it knows of no covering test, and a new row in an `it.each` table does not change
// the test's source, so a test that now kills such a survivor would go unseen. Killed and
// timed-out results are kept: they stand until their code or their tests change, which
// Stryker checks by itself.
//
// After: each mutant's statusReason (a compiler error or a failed assertion, three quarters of
// the file) is dropped and the JSON written without indentation. Stryker's reuse reads the
// status, the location and the tests, never the reason; the HTML report in reports/ keeps it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [first, ...rest] = process.argv.slice(2);
const [config, strykerArgs] = first?.endsWith('.config.mjs') ? [first, rest] : ['stryker.config.mjs', process.argv.slice(2)];
const { default: options } = await import(pathToFileURL(resolve(config)).href);
const RECORD = options.incrementalFile;
const RETESTED = new Set(['Survived', 'NoCoverage']);

function rewriteRecord(change) {
	if (!existsSync(RECORD)) return;
	const report = JSON.parse(readFileSync(RECORD, 'utf8'));
	change(Object.values(report.files));
	writeFileSync(RECORD, `${JSON.stringify(report)}\n`);
}

rewriteRecord((files) => {
	let forgotten = 0;
	for (const file of files) {
		const kept = file.mutants.filter((mutant) => !RETESTED.has(mutant.status));
		forgotten += file.mutants.length - kept.length;
		file.mutants = kept;
	}
	console.log(`${RECORD}: ${forgotten} recorded survivors and uncovered mutants will be tested again`);
});

const stryker = spawnSync('stryker', ['run', config, ...strykerArgs], { stdio: 'inherit' });

rewriteRecord((files) => {
	for (const file of files) for (const mutant of file.mutants) delete mutant.statusReason;
});

if (stryker.error) throw stryker.error;
process.exitCode = stryker.status ?? 1;
