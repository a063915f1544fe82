import { MemoryUnavailable } from '../../nodes/PerspectiveFunnel/funnel/memory';

describe('MemoryUnavailable', () => {
	it('reads as a MemoryUnavailable with its reason wherever it is printed, and carries the wait it asks for', () => {
		const error = new MemoryUnavailable('Redis did not answer within 2000 ms', 5);
		expect(String(error)).toBe('MemoryUnavailable: Redis did not answer within 2000 ms');
		expect(error.stack?.split('\n')[0]).toBe('MemoryUnavailable: Redis did not answer within 2000 ms');
		expect(error).toBeInstanceOf(Error);
		expect(error.retryAfterSeconds).toBe(5);
	});
});
