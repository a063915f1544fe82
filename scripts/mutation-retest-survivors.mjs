// Before `stryker run` (npm run test:mutation): forgets the recorded survivors and uncovered
// mutants in Stryker's incremental file, so that every run tests them again.
//
// Stryker reuses a recorded result that is not "Killed" when no test covering the mutant
// changed. For a static mutant (one that runs once, when a module loads: a zod schema, a
// table of titles) it knows of no covering test, and a new row in an `it.each` table does
// not change the test's source, so a test that now kills such a survivor would go unseen and
// the table would keep counting it. Killed and timed-out results are kept: they stand until
// their code or their tests change, which Stryker checks by itself.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = 'test/mutation/stryker-incremental.json';
const RETESTED = new Set(['Survived', 'NoCoverage']);

if (existsSync(FILE)) {
	const report = JSON.parse(readFileSync(FILE, 'utf8'));
	let forgotten = 0;
	for (const file of Object.values(report.files)) {
		const kept = file.mutants.filter((mutant) => !RETESTED.has(mutant.status));
		forgotten += file.mutants.length - kept.length;
		file.mutants = kept;
	}
	writeFileSync(FILE, JSON.stringify(report, null, 2));
	console.log(`${FILE}: ${forgotten} recorded survivors and uncovered mutants will be tested again`);
}
