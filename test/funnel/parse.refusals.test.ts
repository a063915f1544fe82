/**
 * What the parser answers for each field it checks: the exact refusal (kind, event, field,
 * message) past each bound, and acceptance at the bound itself.
 */
import { bodySizeProblem, parseRequestBody } from '../../nodes/PerspectiveFunnel/funnel/parse';
import type { InputProblem } from '../../nodes/PerspectiveFunnel/funnel/types';

const RECEIVED = Date.UTC(2026, 10, 27, 10);

const response = (extra: Record<string, unknown> = {}) => ({ type: 'response', contactId: 'c', funnelName: 'F', ...extra });
const snapshot = (extra: Record<string, unknown> = {}) => ({ id: 'c', funnelName: 'F', ...extra });
const answer = (fields: Record<string, unknown>) => response({ answers: [{ id: 'q', ...fields }] });
const leaf = (fields: Record<string, unknown>) => snapshot({ profile: { email: fields } });
const many = (count: number) => Array.from({ length: count }, (_, index) => `q${index}`);

function refusal(body: unknown): InputProblem {
	const result = parseRequestBody(body, RECEIVED);
	if (result.ok) throw new Error('expected the body to be refused');
	return result.problem;
}

const EXPECTED_VALUE = 'expected text, a number, a boolean, an array of those, or null';
const NOT_UNICODE = 'the contact ID is not valid Unicode text';

describe('each field refused with its own message', () => {
	it.each<[string, unknown, string, string]>([
		// the body
		['null as the body', null, '', 'expected a JSON object or an array of them'],
		// IDs and names
		['a contact ID that is a number', response({ contactId: 5 }), 'contactId', 'expected the contact ID as a string'],
		['a contact ID of spaces', snapshot({ id: '  ' }), 'id', 'required: the contact ID (a non-empty string)'],
		['a contact ID of 201 characters', response({ contactId: 'c'.repeat(201) }), 'contactId', 'longer than 200 characters'],
		// a lone surrogate: Redis keys (UTF-8) would turn '\ud800' and '\udc00' into the same U+FFFD
		['a contact ID ending in a lone high surrogate', response({ contactId: 'c\ud800' }), 'contactId', NOT_UNICODE],
		['a contact ID of a lone low surrogate', response({ contactId: '\udc00' }), 'contactId', NOT_UNICODE],
		['a contact ID with a surrogate pair reversed', response({ contactId: 'c\ude00\ud83dc' }), 'contactId', NOT_UNICODE],
		['a webhook body ID of a lone high surrogate', snapshot({ id: '\ud800' }), 'id', NOT_UNICODE],
		['a webhook body ID with a lone low surrogate inside', snapshot({ id: 'a\udc00b' }), 'id', NOT_UNICODE],
		['a missing funnel name', { id: 'c' }, 'funnelName', 'required: the funnel name'],
		['a funnel name of 1,001 characters', snapshot({ funnelName: 'F'.repeat(1001) }), 'funnelName', 'longer than 1000 characters'],
		['a global ID that is a number', response({ globalId: 5 }), 'globalId', 'expected the global ID as a string'],
		['a global ID of 201 characters', response({ globalId: 'g'.repeat(201) }), 'globalId', 'longer than 200 characters'],
		// answers
		['an answer that is not an object', response({ answers: ['email'] }), 'answers[0]', 'expected an answer object { id, value, title, type }'],
		['an answer without an identifier', response({ answers: [{ value: 'x' }] }), 'answers[0].id', 'required: the field identifier'],
		['an identifier that is a number', response({ answers: [{ id: 5 }] }), 'answers[0].id', 'expected the identifier as a string'],
		['a title that is a number', answer({ title: 5 }), 'answers[0].title', 'expected the title as a string'],
		['a title of 10,001 characters', answer({ title: 't'.repeat(10_001) }), 'answers[0].title', 'longer than 10000 characters'],
		['an answer type that is a number', answer({ type: 5 }), 'answers[0].type', 'expected the answer type as a string'],
		['an answer type of 51 characters', answer({ type: 't'.repeat(51) }), 'answers[0].type', 'longer than 50 characters'],
		['a value that is an object', answer({ value: {} }), 'answers[0].value', EXPECTED_VALUE],
		['a multiple choice holding an object', answer({ value: ['a', {}] }), 'answers[0].value', EXPECTED_VALUE],
		['a number too large for a double (1e400)', answer({ value: JSON.parse('1e400') }), 'answers[0].value', 'expected a finite number'],
		['a choice too large for a double', answer({ value: [JSON.parse('-1e400')] }), 'answers[0].value[0]', 'expected a finite number'],
		['a third choice too large for a double', answer({ value: ['a', 1, JSON.parse('1e400')] }), 'answers[0].value[2]', 'expected a finite number'],
		// page and cookies
		['a page that is not an object', response({ page: 'last' }), 'page', 'expected an object { isLast, result }'],
		['a result page name that is a number', response({ page: { result: 5 } }), 'page.result', 'expected the result page name as a string'],
		['a result page name of 10,001 characters', response({ page: { result: 'r'.repeat(10_001) } }), 'page.result', 'longer than 10000 characters'],
		['cookies that are not an array', response({ cookies: 'GA' }), 'cookies', 'expected an array of accepted integration names'],
		['a cookie name that is a number', response({ cookies: ['GA', 5] }), 'cookies[1]', 'expected a cookie integration name as a string'],
		['a cookie name of 10,001 characters', response({ cookies: ['c'.repeat(10_001)] }), 'cookies[0]', 'longer than 10000 characters'],
		// a Perspective webhook body's meta and profile
		['a meta that is not an object', snapshot({ meta: [] }), 'meta', 'expected an object'],
		['a completed flag that is text', snapshot({ meta: { completed: 'yes' } }), 'meta.completed', 'expected true or false'],
		['a converted flag that is a number', snapshot({ meta: { converted: 1 } }), 'meta.converted', 'expected true or false'],
		['a meta global ID that is a number', snapshot({ meta: { globalId: 5 } }), 'meta.globalId', 'expected the global ID as a string'],
		['a profile that is an array', snapshot({ profile: [] }), 'profile', 'expected an object of { value, title } fields'],
		['a profile that is null', snapshot({ profile: null }), 'profile', 'expected an object of { value, title } fields'],
		['a profile field that is an array', snapshot({ profile: { email: [] } }), 'profile["email"]', 'expected an object { value, title }'],
		['a profile title that is a number', leaf({ value: 'a', title: 5 }), 'profile["email"].title', 'expected the title as a string'],
		['a profile title of 10,001 characters', leaf({ value: 'a', title: 't'.repeat(10_001) }), 'profile["email"].title', 'longer than 10000 characters'],
		['a profile value that is an object', leaf({ value: {} }), 'profile["email"].value', EXPECTED_VALUE],
		['a nested profile field that is text', snapshot({ profile: { address: { city: 'Oslo' } } }), 'profile["address"]["city"]', 'expected an object { value, title }'],
	])('%s', (_case, body, field, message) => {
		expect(refusal(body)).toEqual({ kind: 'malformed', index: body === null ? null : 0, field, message });
	});
});

describe('the bounds themselves are accepted', () => {
	it.each<[string, unknown]>([
		['a contact ID of 200 characters', response({ contactId: 'c'.repeat(200) })],
		['a contact ID with a character outside the BMP (a surrogate pair)', response({ contactId: 'c\u{1f600}' })],
		['a webhook body ID of surrogate pairs only', snapshot({ id: '\u{1f600}\u{10ffff}' })],
		['a funnel name of 1,000 characters', snapshot({ funnelName: 'F'.repeat(1000) })],
		['a global ID of 200 characters', response({ globalId: 'g'.repeat(200) })],
		['a title of 10,000 characters', answer({ title: 't'.repeat(10_000) })],
		['an answer type of 50 characters', answer({ type: 't'.repeat(50) })],
		['a result page name of 10,000 characters', response({ page: { result: 'r'.repeat(10_000) } })],
		['a cookie name of 10,000 characters', response({ cookies: ['c'.repeat(10_000)] })],
		['a profile title of 10,000 characters', leaf({ value: 'a', title: 't'.repeat(10_000) })],
		['a value of 10,000 characters', answer({ value: 'v'.repeat(10_000) })],
		['a multiple choice of 10,000 characters joined', answer({ value: ['v'.repeat(5_000), 'w'.repeat(4_999)] })],
		['a profile value of 10,000 characters', leaf({ value: 'v'.repeat(10_000) })],
	])('%s', (_case, body) => {
		expect(parseRequestBody(body, RECEIVED).ok).toBe(true);
	});
});

describe('at most 500 events in one request', () => {
	it('reads 500 and refuses 501 with 413, naming no event', () => {
		const batch = (count: number) => many(count).map((contactId) => response({ contactId }));
		const accepted = parseRequestBody(batch(500), RECEIVED);
		expect(accepted.ok && accepted.events.map((event) => event.contactId)).toEqual(many(500));
		expect(refusal(batch(501))).toEqual({ kind: 'tooManyEvents', index: null, field: '', message: 'more than 500 events in one request' });
	});
});

describe('at most 300 answers or profile fields in one event', () => {
	const TOO_MANY = 'more than 300 answers in one event';

	it('reads 300 answers and refuses 301 with 413, before looking at any of them', () => {
		const answers = (count: number) => many(count).map((id) => ({ id, value: 'x' }));
		const [event] = (parseRequestBody(response({ answers: answers(300) }), RECEIVED) as { events: Array<{ fields: unknown[] }> }).events;
		expect(event.fields).toHaveLength(300);
		expect(refusal(response({ answers: answers(301) }))).toEqual({ kind: 'tooLarge', index: 0, field: 'answers', message: TOO_MANY });
		// 301 answers that are not even objects: the count is checked first
		expect(refusal(response({ answers: many(301) }))).toEqual({ kind: 'tooLarge', index: 0, field: 'answers', message: TOO_MANY });
	});

	it('reads 300 profile fields and refuses 301 with 413, nested ones counted alike', () => {
		const profile = (count: number) => ({
			address: { city: { value: 'Oslo' } },
			...Object.fromEntries(many(count - 1).map((id) => [id, { value: 'x' }])),
		});
		const accepted = parseRequestBody(snapshot({ profile: profile(300) }), RECEIVED);
		expect(accepted.ok && accepted.events[0].fields).toHaveLength(300);
		expect(refusal(snapshot({ profile: profile(301) }))).toEqual({ kind: 'tooLarge', index: 0, field: 'profile', message: TOO_MANY });
	});
});

/**
 * Issue 20, case 1: a value's list longer than a value can be is refused without reading its
 * items (zod used to walk all of them first: 10 to 16 s for 2,000,000 numbers). The list is a
 * Proxy that counts the items read, so the test sees the walk itself, not a clock.
 */
describe('a list longer than any value is refused unread', () => {
	const LIMIT = 10_000;
	function countingList(length: number) {
		const reads = new Set<number>();
		const list = new Proxy(new Array<number>(length).fill(1), {
			get(target, key, receiver) {
				if (typeof key === 'string' && /^\d+$/.test(key)) reads.add(Number(key));
				return Reflect.get(target, key, receiver) as unknown;
			},
		});
		return { list, reads };
	}

	it('an answer value of 2,000,000 numbers', () => {
		const { list, reads } = countingList(2_000_000);
		expect(refusal(answer({ value: list }))).toEqual({
			kind: 'malformed',
			index: 0,
			field: 'answers[0].value',
			message: `value is longer than ${LIMIT} characters`,
		});
		expect(reads.size).toBe(0);
	});

	it('a profile value of 2,000,000 numbers', () => {
		const { list, reads } = countingList(2_000_000);
		expect(refusal(leaf({ value: list }))).toMatchObject({ field: 'profile["email"].value', message: `value is longer than ${LIMIT} characters` });
		expect(reads.size).toBe(0);
	});

	it('20,000 accepted integrations', () => {
		const { list, reads } = countingList(20_000);
		expect(refusal(response({ cookies: list }))).toMatchObject({
			field: 'cookies',
			message: `the accepted integrations are longer than ${LIMIT} characters once joined`,
		});
		expect(reads.size).toBe(0);
	});

	it('a list at the bound is read, and refused only by its joined length', () => {
		expect(refusal(answer({ value: Array.from({ length: 5_001 }, () => 1) }))).toMatchObject({ message: `value is longer than ${LIMIT} characters` });
		expect(parseRequestBody(answer({ value: Array.from({ length: 5_000 }, () => 1) }), RECEIVED).ok).toBe(true);
		expect(refusal(response({ cookies: Array.from({ length: 5_001 }, () => 'x') }))).toEqual({
			kind: 'malformed',
			index: 0,
			field: 'cookies',
			message: `the accepted integrations are longer than ${LIMIT} characters once joined`,
		});
		expect(parseRequestBody(response({ cookies: Array.from({ length: 5_000 }, () => 'x') }), RECEIVED).ok).toBe(true);
	});

	it('a list of 10,001 empty items joins into exactly 10,000 characters, and is taken; one more item is refused', () => {
		const empty = (length: number) => Array.from({ length }, () => '');
		for (const length of [LIMIT, LIMIT + 1]) {
			const value = parseRequestBody(answer({ value: empty(length) }), RECEIVED);
			expect(value.ok && value.events[0].fields).toEqual([{ path: 'q', value: ';'.repeat(length - 1), title: 'q' }]);
			const cookies = parseRequestBody(response({ cookies: empty(length) }), RECEIVED);
			expect(cookies.ok && cookies.events[0].fields).toEqual([{ path: 'cookies', value: ';'.repeat(length - 1), title: 'Cookies' }]);
		}
		expect(refusal(answer({ value: empty(LIMIT + 2) }))).toMatchObject({ field: 'answers[0].value', message: `value is longer than ${LIMIT} characters` });
		expect(refusal(response({ cookies: empty(LIMIT + 2) }))).toMatchObject({
			field: 'cookies',
			message: `the accepted integrations are longer than ${LIMIT} characters once joined`,
		});
	});
});

describe('a body of more than 2,000,000 bytes', () => {
	it('is too large, named by its size', () => {
		expect(bodySizeProblem(2_000_001)).toEqual({ kind: 'tooLarge', index: null, field: '', message: 'the body is larger than 2000000 bytes' });
		expect(bodySizeProblem(2_000_000)).toBeNull();
	});
});
