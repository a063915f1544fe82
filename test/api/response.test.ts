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
		[502, '<html>Bad gateway for ada@example.com</html>', 'The Perspective API answered HTTP 502'],
		[404, {}, 'The Perspective API found no such funnel, contact or insight'],
		[503, null, 'The Perspective API answered HTTP 503'],
	])('fails on %i with the API\'s own message when it gives one', (status, body, message) => {
		expect(interpretResponse(status, body, {}, 0)).toMatchObject({ kind: 'error', status, message });
	});

	it.each([400, 401, 403, 404, 409, 422, 500, 502, 503])('says how to get unstuck after a %i, apart from what happened', (status) => {
		const outcome = interpretResponse(status, { error: 'What Perspective said', status }, {}, 0);
		expect(outcome).toMatchObject({ kind: 'error', status, message: 'What Perspective said' });
		const description = outcome.kind === 'error' ? outcome.description : '';
		expect(description.length).toBeGreaterThan(20);
		expect(description).not.toContain('What Perspective said');
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

describe('interpretResponse at its edges', () => {
	it.each([199, 300, 304])('treats HTTP %i as an error, not as an answer to use', (status) => {
		expect(interpretResponse(status, { data: [] }, {}, 0)).toMatchObject({ kind: 'error', status });
	});

	it('uses every 2xx answer of JSON, up to 299', () => {
		expect(interpretResponse(299, { done: true }, {}, 0)).toEqual({ kind: 'ok', body: { done: true } });
		expect(interpretResponse(200, [], {}, 0)).toEqual({ kind: 'ok', body: [] });
	});

	it.each<[string, unknown, Record<string, unknown>, string, number]>([
		['an HTML page', '<html>ada@example.com</html>', { 'Content-Type': 'text/html; charset=UTF-8' }, 'text/html', 28],
		['text', 'done', { 'content-type': 'text/plain' }, 'text/plain', 4],
		['nothing', undefined, {}, 'no content type', 0],
		['an empty text', '', { 'content-type': 'text/html' }, 'text/html', 0],
	])('refuses a 2xx of %s, naming its content type and length, never its text', (_name, body, headers, contentType, characters) => {
		const outcome = interpretResponse(200, body, headers, 0);
		expect(outcome).toMatchObject({ kind: 'notJson', status: 200, message: 'The Perspective API answered 200, but not with JSON', received: { contentType, characters } });
		const { description } = outcome as { description: string };
		expect(description).toContain(`The answer was ${contentType}, ${characters === 0 ? 'empty' : `${characters} characters`}`);
		expect(description).toMatch(/Base URL.*proxy/);
		expect(JSON.stringify(outcome)).not.toContain('ada@example.com');
	});

	it.each([
		[400, 'The Perspective API refused the request as malformed'],
		[403, 'The API key may not access this funnel or its contacts'],
		[429, 'The Perspective API rate limit (100 requests per minute) was reached'],
	])('says what HTTP %i means when the API gives no message of its own', (status, message) => {
		expect(interpretResponse(status, {}, {}, RETRY_ATTEMPTS_MAX)).toMatchObject({ kind: 'error', status, message });
	});

	it("keeps the API's message as what happened and says how to fix it in the description", () => {
		expect(interpretResponse(404, { error: 'Funnel not found' }, {}, 0)).toEqual({
			kind: 'error',
			status: 404,
			message: 'Funnel not found',
			description:
				"Pick the funnel from the list rather than typing its ID, and take the contact's ID from Get Many or a trigger item of the same funnel",
		});
		expect(interpretResponse(503, {}, {}, 0)).toMatchObject({ description: expect.stringMatching(/^Perspective could not answer just now/) });
		expect(interpretResponse(418, {}, {}, 0)).toMatchObject({ description: expect.stringMatching(/^Check the node's parameters and its credential/) });
	});

	it.each([
		['an empty text', ''],
		['a blank text', ' \n '],
		['no body', undefined],
		['a blank error with no message', { error: '  ' }],
	])('falls back to the generic message when the API gives %s', (_, body) => {
		expect(interpretResponse(503, body, {}, 0)).toMatchObject({ message: 'The Perspective API answered HTTP 503' });
	});

	it("takes the API's message when its error field is blank", () => {
		expect(interpretResponse(500, { error: ' ', message: 'Internal error' }, {}, 0)).toMatchObject({ message: 'Internal error' });
	});

	it("trims the API's message and keeps at most 500 characters of it", () => {
		expect(interpretResponse(400, { error: ' Invalid email ' }, {}, 0)).toMatchObject({ message: 'Invalid email' });
		const long = `${'x'.repeat(500)}TAIL`;
		expect(interpretResponse(400, { error: long }, {}, 0)).toMatchObject({ message: 'x'.repeat(500) });
	});

	it('says a text answer (a proxy\'s error page) by its content type and length, never its text', () => {
		const page = '<html>Bad gateway for ada@example.com</html>';
		const outcome = interpretResponse(502, page, { 'Content-Type': 'text/html; charset=utf-8' }, 0);
		expect(outcome).toMatchObject({ kind: 'error', status: 502, message: 'The Perspective API answered HTTP 502' });
		const description = outcome.kind === 'error' ? outcome.description : '';
		expect(description).toContain(`The answer was text/html, ${page.length} characters (not shown`);
		expect(JSON.stringify(outcome)).not.toContain('ada@example.com');
		expect(interpretResponse(500, '', {}, 0)).toMatchObject({ description: expect.stringContaining('The answer was no content type, empty') });
	});

	it('waits Retry-After seconds up to 60 and gives up beyond, even by a millisecond', () => {
		expect(interpretResponse(429, { retryAfter: 60 }, {}, 0)).toEqual({ kind: 'retry', waitMs: 60_000 });
		expect(interpretResponse(429, { retryAfter: 60.001 }, {}, 0)).toMatchObject({ kind: 'error', status: 429 });
	});

	it('waits through at most three 429 answers for one request', () => {
		expect(interpretResponse(429, {}, {}, RETRY_ATTEMPTS_MAX - 1)).toEqual({ kind: 'retry', waitMs: 5000 });
		expect(interpretResponse(429, {}, {}, RETRY_ATTEMPTS_MAX)).toMatchObject({ kind: 'error', status: 429 });
	});

	it('says how long the API asked to wait, in whole seconds rounded up, when it gives up', () => {
		expect(interpretResponse(429, { retryAfter: 60.5 }, {}, 0)).toMatchObject({
			description:
				"The API asks to retry in 61 s, longer than the 60 s a node run waits. Run the node again after that, and spread the workflow's requests over time.",
		});
		expect(interpretResponse(429, { retryAfter: 2.2 }, {}, RETRY_ATTEMPTS_MAX)).toMatchObject({
			description:
				"Still rate limited after waiting 3 times; the API asks to retry in 3 s. Poll less often or spread the workflow's requests.",
		});
	});

	it.each([500, 503, 599])('tells to try again later after a %i without a fix of its own', (status) => {
		expect(interpretResponse(status, {}, {}, 0)).toMatchObject({
			description: expect.stringContaining('Perspective could not answer just now'),
		});
	});

	it('tells to check parameters and credential after a 4xx without a fix of its own', () => {
		expect(interpretResponse(499, {}, {}, 0)).toMatchObject({
			description: "Check the node's parameters and its credential against the message above",
		});
	});

	it.each<[string, string, string]>([
		['in lower case, without spaces or parameters', ' Text/HTML ; charset=UTF-8', 'text/html'],
		['cut to 100 characters', `application/${'x'.repeat(150)}`, `application/${'x'.repeat(88)}`],
	])('names the content type of a text answer %s', (_, given, said) => {
		const headers = { 'Content-Type': given };
		const notJson = interpretResponse(200, 'done', headers, 0);
		expect(notJson).toMatchObject({ kind: 'notJson', received: { contentType: said, characters: 4 } });
		expect(notJson).toMatchObject({ description: expect.stringContaining(`The answer was ${said}, 4 characters (not shown`) });
		expect(interpretResponse(502, 'done', headers, 0)).toMatchObject({
			kind: 'error',
			description: expect.stringContaining(`The answer was ${said}, 4 characters (not shown`),
		});
	});
});

describe('retryAfterMs at its edges', () => {
	it.each([
		['0 seconds: retry at once', { retryAfter: 0 }, {}, 0],
		['a fraction of a millisecond, rounded up so it never asks too early', { retryAfter: 1.0001 }, {}, 1001],
		['a header of several digits', {}, { 'Retry-After': '30' }, 30_000],
		['the body before the header', { retryAfter: 2 }, { 'retry-after': '9' }, 2000],
		['the header when the body has no number (null)', { retryAfter: null }, { 'retry-after': '9' }, 9000],
		['the header when the body has no number (true)', { retryAfter: true }, { 'retry-after': '9' }, 9000],
		['no wait from an endless header', {}, { 'retry-after': 'Infinity' }, null],
		['Retry-After among other headers', {}, { 'content-type': 'application/json', 'Retry-After': '9' }, 9000],
		['the header of a 429 without a body', undefined, { 'retry-after': '9' }, 9000],
		['the header of a 429 with a text body', 'slow down', { 'retry-after': '9' }, 9000],
		['no wait from a number JSON reads as endless', JSON.parse('{"retryAfter": 1e999}'), {}, null],
	])('reads %s', (_, body, headers, expected) => {
		expect(retryAfterMs(body, headers)).toBe(expected);
	});
});
