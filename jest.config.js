/** Unit tests (`npm test`): type-checked once by `tsc -p test/tsconfig.json`, so ts-jest only transpiles. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// test/redis needs a Redis server: `npm run test:redis`
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/', '/test/redis/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
};
