import {
	RETRY_ATTEMPTS_MAX,
	RETRY_WAIT_MAX_MS,
	interpretResponse,
	retryAfterMs,
} from '../../nodes/PerspectiveFunnel/api/response';

describe('interpretResponse', () => {
	it('hands over the body of a 2xx answer', () => {
		expect(interpretResponse(200, { data: [] }, {}, 0)).toEqual({ kind: 'ok', body: { data: [] } });
		expect(interpretResponse(201, { data: { id: 'c1' } }, {}, 0)).toEqual({ kind: 'ok', body: { data: { id: 'c1' } } });
	});

	it.each([
		[400, { error: 'email or phone is required', status: 400 }, 'email or phone is required'],
		[404, { error: 'Funnel not found', status: 404 }, 'Funnel not found'],
		[500, { message: 'Internal error' }, 'Internal error'],
		[502, '<html>Bad gateway</html>', '<html>Bad gateway</html>'],
		[404, {}, 'Not found: check the funnel, contact or insight ID'],
		[503, null, 'The Perspective API answered HTTP 503'],
	])('fails on %i with the API\'s own message when it gives one', (status, body, message) => {
		expect(interpretResponse(status, body, {}, 0)).toMatchObject({ kind: 'error', status, message });
	});

	it('explains a refused key', () => {
		const outcome = interpretResponse(401, { error: 'Invalid or missing API key', status: 401 }, {}, 0);
		expect(outcome).toMatchObject({ kind: 'error', status: 401, message: 'Invalid or missing API key' });
		expect(outcome.kind === 'error' && outcome.description).toMatch(/credential/);
	});

	it('waits as long as a 429 asks, from the body or the Retry-After header', () => {
		expect(interpretResponse(429, { error: 'Too many requests', retryAfter: 7 }, {}, 0)).toEqual({ kind: 'retry', waitMs: 7000 });
		expect(interpretResponse(429, {}, { 'Retry-After': '3' }, 0)).toEqual({ kind: 'retry', waitMs: 3000 });
		expect(interpretResponse(429, {}, {}, 0)).toEqual({ kind: 'retry', waitMs: 5000 });
	});

	it('gives up after waiting the most times, or when asked to wait too long, saying why', () => {
		const tooOften = interpretResponse(429, { error: 'Too many requests', retryAfter: 1 }, {}, RETRY_ATTEMPTS_MAX);
		expect(tooOften).toMatchObject({ kind: 'error', status: 429, message: 'Too many requests' });
		expect(tooOften.kind === 'error' && tooOften.description).toMatch(/Still rate limited/);
		const tooLong = interpretResponse(429, { retryAfter: RETRY_WAIT_MAX_MS / 1000 + 1 }, {}, 0);
		expect(tooLong).toMatchObject({ kind: 'error', status: 429 });
		expect(tooLong.kind === 'error' && tooLong.description).toMatch(/longer than/);
	});
});

describe('retryAfterMs', () => {
	it.each([
		[{ retryAfter: 2.5 }, {}, 2500],
		[{ retryAfter: '4' }, {}, 4000],
		[{}, { 'retry-after': ['6'] }, 6000],
		[{ retryAfter: -1 }, {}, null],
		[{ retryAfter: 'soon' }, {}, null],
		[null, {}, null],
	])('%j with headers %j → %p', (body, headers, expected) => {
		expect(retryAfterMs(body, headers)).toBe(expected);
	});
});
