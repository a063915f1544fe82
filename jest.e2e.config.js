/** The end-to-end suite: a real n8n per test file, one line (N8N_LINE=1 or 2) per run. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	testTimeout: 600_000,
	maxWorkers: 1,
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
};
