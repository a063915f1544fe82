import { parseRequestBody, type ParseResult } from '../../nodes/PerspectiveFunnel/funnel/parse';
import type { ContactEvent } from '../../nodes/PerspectiveFunnel/funnel/types';
import { T0, funnelCompletedBody, iso, minutes, newLeadBody, responseSession } from '../fixtures/perspective';

const RECEIVED = T0 + 3_600_000;

function events(body: unknown): ContactEvent[] {
	const result = parseRequestBody(body, RECEIVED);
	if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.problem)}`);
	return result.events;
}

const snapshot = (extra: Record<string, unknown> = {}) => ({ id: 'c', funnelName: 'F', ...extra });
const response = (extra: Record<string, unknown> = {}) => ({ type: 'response', contactId: 'c', funnelName: 'F', ...extra });

function problem(body: unknown) {
	const result: ParseResult = parseRequestBody(body, RECEIVED);
	if (result.ok) throw new Error('expected the body to be refused');
	return result.problem;
}

describe('Perspective webhook bodies (snapshots)', () => {
	it('reads the meta, the flags and the nested profile', () => {
		const [event] = events(newLeadBody());
		expect(event).toMatchObject({
			source: 'snapshot',
			contactId: '6385f2c1a7e0b1d2c3f4a5b6',
			funnelName: 'Solar check',
			at: minutes(3),
			createdAt: minutes(0),
			globalId: 'g_8f2d1c',
			convertedAt: minutes(3),
			completedAt: undefined,
		});
		expect(event.fields.map((field) => [field.path, field.value, field.title])).toEqual([
			['firstName', 'Ada', 'First name'],
			['email', 'ada@example.com', 'Email'],
			['address.city', 'Berlin', 'City'],
			['address.postalCode', '10115', 'Postal code'],
			['q8fk2l1', 'Flat;Gable', 'Which roof do you have?'],
			['cookies', 'Google Analytics;Meta Pixel', 'Cookies'],
		]);
	});

	it('turns the result field into result pages, split at ;', () => {
		const body = funnelCompletedBody();
		body.profile.result = { value: 'Good fit; Call back', title: 'Result' };
		const [event] = events(body);
		expect(event.results).toEqual(['Good fit', 'Call back']);
		expect(event.fields.some((field) => field.path === 'result')).toBe(false);
		expect(event.completedAt).toBe(minutes(5));
	});

	it('normalises flat dotted keys to the same paths as nested ones', () => {
		const [event] = events({
			id: 'c_flat',
			funnelName: 'F',
			profile: { 'address.street': { value: 'Main St 1' }, address: { city: { value: 'Oslo' } } },
		});
		expect(event.fields).toEqual([
			{ path: 'address.street', value: 'Main St 1', title: 'Street' },
			{ path: 'address.city', value: 'Oslo', title: 'City' },
		]);
	});

	it.each([
		['ISO 8601 text', iso(minutes(7)), minutes(7)],
		['ISO 8601 with an offset', '2026-11-27T11:07:00+01:00', minutes(7)],
		['epoch milliseconds', minutes(7), minutes(7)],
	])('accepts timestamps as %s', (_kind, lastSeenAt, expected) => {
		const [event] = events({ id: 'c', funnelName: 'F', meta: { lastSeenAt } });
		expect(event.at).toBe(expected);
	});

	it('takes the time of receipt when the body has no lastSeenAt, and null timestamps as absent', () => {
		const [event] = events({ id: 'c', funnelName: 'F', meta: { createdAt: null, lastSeenAt: null, converted: false } });
		expect(event.at).toBe(RECEIVED);
		expect(event.createdAt).toBeUndefined();
		expect(event.convertedAt).toBeUndefined();
	});

	it('reads conversion from a convertedAt when the converted flag is absent', () => {
		const [event] = events({ id: 'c', funnelName: 'F', meta: { convertedAt: minutes(2) } });
		expect(event.convertedAt).toBe(minutes(2));
	});

	it('lets the flag win over a timestamp: converted false means not converted', () => {
		const [event] = events({ id: 'c', funnelName: 'F', meta: { converted: false, convertedAt: minutes(2) } });
		expect(event.convertedAt).toBeUndefined();
	});

	it('dates a flag without its timestamp at the event time', () => {
		const [event] = events({ id: 'c', funnelName: 'F', meta: { lastSeenAt: minutes(4), completed: true } });
		expect(event.completedAt).toBe(minutes(4));
	});
	it('reads completion from a completedAt when the completed flag is absent, and the flag false over a completedAt', () => {
		expect(events(snapshot({ meta: { completedAt: minutes(2) } }))[0].completedAt).toBe(minutes(2));
		expect(events(snapshot({ meta: { completed: false, completedAt: minutes(2) } }))[0].completedAt).toBeUndefined();
		expect(events(snapshot({ meta: { converted: true, lastSeenAt: minutes(4) } }))[0].convertedAt).toBe(minutes(4));
	});

	it('reads a body without meta or profile as a visit now, with nothing in it', () => {
		expect(events(snapshot())[0]).toEqual({
			source: 'snapshot',
			contactId: 'c',
			funnelName: 'F',
			at: RECEIVED,
			createdAt: undefined,
			globalId: undefined,
			fields: [],
			results: [],
			convertedAt: undefined,
			completedAt: undefined,
		});
	});

	it('reads a null convertedAt or completedAt without its flag as not converted, not completed', () => {
		const [event] = events(snapshot({ meta: { convertedAt: null, completedAt: null } }));
		expect(event).toMatchObject({ convertedAt: undefined, completedAt: undefined });
	});

	it('leaves out an empty global ID, and keeps a given one', () => {
		expect(events(snapshot({ meta: { globalId: '' } }))[0].globalId).toBeUndefined();
		expect(events(snapshot({ meta: { globalId: 'g_1' } }))[0].globalId).toBe('g_1');
	});

	it('trims result page names and drops empty ones', () => {
		const [event] = events(snapshot({ profile: { result: { value: ' Good fit ;; ; Call back;' } } }));
		expect(event.results).toEqual(['Good fit', 'Call back']);
	});

	it("gives a profile field without a title, or with an empty one, its standard title or its identifier", () => {
		const [event] = events(snapshot({ profile: { email: { value: 'a@b.c', title: '' }, q1: { value: 'x', title: null }, q2: { value: 'y' } } }));
		expect(event.fields.map((field) => field.title)).toEqual(['Email', 'q1', 'q2']);
	});

	it('trims the contact ID and the funnel name', () => {
		expect(events(snapshot({ id: ' c ', funnelName: ' F ' }))[0]).toMatchObject({ contactId: 'c', funnelName: 'F' });
	});
});

describe('response events', () => {
	it('joins multiple choice with ;, turns numbers into text and fills standard titles', () => {
		const [first, second, third] = events(responseSession());
		expect(first.fields).toEqual([
			{ path: 'roofType', value: 'Flat;Gable', title: 'Which roof?' },
			{ path: 'cookies', value: 'Google Analytics;Meta Pixel', title: 'Cookies' },
		]);
		expect(second.fields).toEqual([
			{ path: 'monthlyBill', value: '120', title: 'Monthly bill (EUR)' },
			{ path: 'address.city', value: 'Berlin', title: 'City' },
		]);
		expect(third.fields[0]).toEqual({ path: 'firstName', value: 'Ada', title: 'First name' });
		expect(first.at).toBe(minutes(0));
	});

	it('converts on a non-blank email or phone, and on a renamed field typed email or phone', () => {
		const cases: Array<[unknown, boolean]> = [
			[{ id: 'email', value: 'ada@example.com' }, true],
			[{ id: 'phone', value: '+49 30 1234' }, true],
			[{ id: 'workMail', type: 'email', value: 'ada@example.com' }, true],
			[{ id: 'mobile', type: 'phone', value: '0170 1234' }, true],
			[{ id: 'email', value: '   ' }, false],
			[{ id: 'email', value: null }, false],
			[{ id: 'emailOptIn', value: true }, false],
		];
		for (const [answer, converts] of cases) {
			const [event] = events({ type: 'response', contactId: 'c', funnelName: 'F', timestamp: minutes(1), answers: [answer] });
			expect({ answer, converted: event.convertedAt }).toEqual({ answer, converted: converts ? minutes(1) : undefined });
		}
	});

	it('completes on the last page or a result page, and records the result', () => {
		const base = { type: 'response', contactId: 'c', funnelName: 'F', timestamp: minutes(1) };
		expect(events({ ...base, page: { isLast: true } })[0]).toMatchObject({ completedAt: minutes(1), results: [] });
		expect(events({ ...base, page: { result: 'Good fit' } })[0]).toMatchObject({ completedAt: minutes(1), results: ['Good fit'] });
		expect(events({ ...base, page: { isLast: false } })[0].completedAt).toBeUndefined();
	});

	it('reads a null answer as empty text, in a response event and in a body\'s profile', () => {
		const [response] = events({ type: 'response', contactId: 'c', funnelName: 'F', timestamp: minutes(1), answers: [{ id: 'q1', value: null }] });
		expect(response.fields).toMatchObject([{ path: 'q1', value: '' }]);
		const [body] = events(snapshot({ profile: { q1: { value: null, title: 'Q' } } }));
		expect(body.fields).toEqual([{ path: 'q1', value: '', title: 'Q' }]);
	});

	it('sets cookies to an empty string when none are accepted', () => {
		const [event] = events({ type: 'response', contactId: 'c', funnelName: 'F', cookies: [] });
		expect(event.fields).toEqual([{ path: 'cookies', value: '', title: 'Cookies' }]);
	});

	it("fills Perspective's titles of its standard fields when an answer has none", () => {
		const ids = ['name', 'firstName', 'lastName', 'email', 'phone', 'website', 'address.street', 'address.postalCode', 'address.city', 'address.country'];
		const [event] = events({ type: 'response', contactId: 'c', funnelName: 'F', answers: ids.map((id) => ({ id, value: 'x' })) });
		expect(event.fields.map((field) => field.title)).toEqual([
			'Full name', 'First name', 'Last name', 'Email', 'Phone', 'Website', 'Street', 'Postal code', 'City', 'Country',
		]);
	});

	it('accepts an identifier of 200 characters', () => {
		const [event] = events({ type: 'response', contactId: 'c', funnelName: 'F', answers: [{ id: 'x'.repeat(200), value: 'y' }] });
		expect(event.fields[0].path).toHaveLength(200);
	});

	it('defaults the time to the time of receipt', () => {
		expect(events({ type: 'response', contactId: 'c', funnelName: 'F' })[0].at).toBe(RECEIVED);
	});

	it('reads a batch in order, mixing both kinds', () => {
		const batch = events([...responseSession('c_1'), newLeadBody({ id: 'c_2' })]);
		expect(batch.map((event) => [event.source, event.contactId])).toEqual([
			['response', 'c_1'],
			['response', 'c_1'],
			['response', 'c_1'],
			['response', 'c_1'],
			['snapshot', 'c_2'],
		]);
	});
	it('takes an answer without a value as empty, keeps a given title, and an empty title as none', () => {
		const [event] = events(response({ answers: [{ id: 'q1' }, { id: 'q2', value: 'x', title: 'Roof?' }, { id: 'q3', value: 'y', title: '' }] }));
		expect(event.fields).toEqual([
			{ path: 'q1', value: '', title: 'q1' },
			{ path: 'q2', value: 'x', title: 'Roof?' },
			{ path: 'q3', value: 'y', title: 'q3' },
		]);
		expect(event.convertedAt).toBeUndefined();
	});

	it('does not convert on a blank value typed email or phone', () => {
		for (const type of ['email', 'phone']) {
			expect(events(response({ answers: [{ id: 'contact', type, value: ' ' }] }))[0].convertedAt).toBeUndefined();
		}
	});

	it('completes on a result page name with its spaces trimmed, not on a blank one', () => {
		expect(events(response({ timestamp: minutes(1), page: { result: ' Good fit ' } }))[0]).toMatchObject({ completedAt: minutes(1), results: ['Good fit'] });
		expect(events(response({ page: { result: '  ' } }))[0]).toMatchObject({ completedAt: undefined, results: [] });
		expect(events(response({ page: { isLast: true, result: null } }))[0]).toMatchObject({ completedAt: RECEIVED, results: [] });
	});

	it('joins accepted cookies with ;, and leaves out an empty global ID', () => {
		const [event] = events(response({ cookies: ['Google Analytics', 'Meta Pixel'], globalId: '' }));
		expect(event.fields).toEqual([{ path: 'cookies', value: 'Google Analytics;Meta Pixel', title: 'Cookies' }]);
		expect(event.globalId).toBeUndefined();
		expect(events(response({ globalId: 'g_1' }))[0].globalId).toBe('g_1');
	});
});

describe('bad input is refused with the event index and the field', () => {
	const answer = (id: unknown, value: unknown = 'x') => response({ answers: [{ id, value }] });

	it.each<[string, unknown, { kind?: string; index: number | null; field: string; message: RegExp }]>([
		['a string body', 'hello', { index: null, field: '', message: /JSON object or an array/ }],
		['a number body', 42, { index: null, field: '', message: /JSON object or an array/ }],
		['an empty array', [], { index: null, field: '', message: /no event/ }],
		['an array holding a string', ['x'], { index: 0, field: '', message: /event object/ }],
		['an unknown type', { type: 'pageview', contactId: 'c', funnelName: 'F' }, { index: 0, field: 'type', message: /unknown type/ }],
		['a response without contactId', { type: 'response', funnelName: 'F' }, { index: 0, field: 'contactId', message: /required: the contact ID/ }],
		['an empty contactId', response({ contactId: '  ' }), { index: 0, field: 'contactId', message: /non-empty/ }],
		['a response without funnelName', { type: 'response', contactId: 'c' }, { index: 0, field: 'funnelName', message: /required: the funnel name/ }],
		['a snapshot without id', { funnelName: 'F', meta: {} }, { index: 0, field: 'id', message: /required: the contact ID/ }],
		['a snapshot with an empty funnelName', { id: 'c', funnelName: '' }, { index: 0, field: 'funnelName', message: /non-empty/ }],
		['a numeric id', { id: 7, funnelName: 'F' }, { index: 0, field: 'id', message: /as a string/ }],
		['an empty identifier', answer(''), { index: 0, field: 'answers[0].id', message: /identifier is empty/ }],
		['an identifier with an empty segment', answer('a..b'), { index: 0, field: 'answers[0].id', message: /empty segment/ }],
		['an identifier deeper than 5 levels', answer('a.b.c.d.e.f'), { index: 0, field: 'answers[0].id', message: /deeper than 5/ }],
		['an identifier longer than 200 characters', answer('x'.repeat(201)), { index: 0, field: 'answers[0].id', message: /longer than 200/ }],
		['a __proto__ segment', answer('__proto__.polluted'), { index: 0, field: 'answers[0].id', message: /forbidden segment "__proto__"/ }],
		['a constructor segment', answer('a.constructor'), { index: 0, field: 'answers[0].id', message: /forbidden segment "constructor"/ }],
		['a prototype segment', answer('a.prototype.b'), { index: 0, field: 'answers[0].id', message: /forbidden segment "prototype"/ }],
		['a value longer than 10,000 characters', answer('note', 'x'.repeat(10_001)), { index: 0, field: 'answers[0].value', message: /longer than 10000/ }],
		['a joined multiple choice longer than 10,000 characters', answer('pick', ['x'.repeat(6000), 'y'.repeat(6000)]), { index: 0, field: 'answers[0].value', message: /longer than 10000/ }],
		['an object as a value', answer('pick', { nested: true }), { index: 0, field: 'answers[0].value', message: /expected text/ }],
		['a timestamp that does not parse', response({ timestamp: 'yesterday' }), { index: 0, field: 'timestamp', message: /ISO 8601/ }],
		['an impossible date', response({ timestamp: '2026-13-45T10:00:00Z' }), { index: 0, field: 'timestamp', message: /not a date in the calendar/ }],
		['a negative epoch', { id: 'c', funnelName: 'F', meta: { createdAt: -5 } }, { index: 0, field: 'meta.createdAt', message: /ISO 8601/ }],
		['a profile leaf that is not an object', { id: 'c', funnelName: 'F', profile: { email: 'ada@example.com' } }, { index: 0, field: 'profile["email"]', message: /\{ value, title \}/ }],
		['a profile key __proto__', JSON.parse('{"id":"c","funnelName":"F","profile":{"__proto__":{"value":"x"}}}'), { index: 0, field: 'profile["__proto__"]', message: /forbidden/ }],
		['a nested profile too deep', { id: 'c', funnelName: 'F', profile: { a: { b: { c: { d: { e: { f: { value: 'x' } } } } } } } }, { index: 0, field: 'profile["a"]["b"]["c"]["d"]["e"]["f"]', message: /deeper than 5/ }],
		['a profile value too long', { id: 'c', funnelName: 'F', profile: { note: { value: 'x'.repeat(10_001) } } }, { index: 0, field: 'profile["note"].value', message: /longer than 10000/ }],
		['answers that are not an array', response({ answers: { id: 'email' } }), { index: 0, field: 'answers', message: /array of answers/ }],
		['a page isLast that is not a boolean', response({ page: { isLast: 'yes' } }), { index: 0, field: 'page.isLast', message: /true or false/ }],
		['cookies that are not an array', response({ cookies: 'GA' }), { index: 0, field: 'cookies', message: /array/ }],
	])('%s', (_case, body, expected) => {
		expect(problem(body)).toEqual({ kind: 'malformed', ...expected, message: expect.stringMatching(expected.message) });
	});

	it('refuses more than 500 events with 413', () => {
		const body = Array.from({ length: 501 }, (_, index) => response({ contactId: `c${index}` }));
		expect(problem(body)).toMatchObject({ kind: 'tooManyEvents', index: null, message: 'more than 500 events in one request' });
		expect(events(body.slice(0, 500))).toHaveLength(500);
	});

	it('refuses the whole request for one bad event, naming its index', () => {
		expect(problem([response({}), response({}), answer('a..b')])).toMatchObject({ index: 2, field: 'answers[0].id' });
	});

	it('never repeats a submitted value in its message', () => {
		const secretish = [
			problem(answer('email', { address: 'ada@example.com' })),
			problem(response({ contactId: 'c', timestamp: 'ada@example.com' })),
			problem({ id: 'c', funnelName: 'F', profile: { email: { value: { x: 'ada@example.com' } } } }),
			problem({ type: 'ada@example.com', contactId: 'c', funnelName: 'F' }),
		];
		for (const found of secretish) expect(JSON.stringify(found)).not.toContain('ada@example.com');
	});

	it('leaves Object.prototype untouched whatever the keys', () => {
		const hostile = JSON.parse(
			'[{"id":"c","funnelName":"F","profile":{"__proto__":{"polluted":{"value":"yes"}}}},' +
				'{"type":"response","contactId":"c","funnelName":"F","answers":[{"id":"constructor.prototype.polluted","value":"yes"}]},' +
				'{"type":"response","contactId":"c","funnelName":"F","__proto__":{"polluted":"yes"}}]',
		);
		for (const body of hostile) parseRequestBody(body, RECEIVED);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
	});
});
