/** The Redis memory against a real Redis server (Debian's redis-server): `npm run test:redis`. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/redis'],
	testMatch: ['**/*.redis.test.ts'],
	testTimeout: 120_000,
	maxWorkers: 1,
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
};
