import fc from 'fast-check';

import {
	contactTime,
	fieldNameProblem,
	funnelsOfWorkspaces,
	pathIdProblem,
	readContactAnswer,
	readFieldValueAnswer,
	readListPage,
	readTime,
	readWorkspaces,
	recordId,
	unwrapRecord,
} from '../../nodes/PerspectiveFunnel/api/contract';

describe('readListPage', () => {
	it('reads the documented envelope', () => {
		const body = { data: [{ id: 'c1' }], meta: { total: 1, page: 0, limit: 100, hasNext: false } };
		expect(readListPage(body)).toEqual({ ok: true, value: { data: [{ id: 'c1' }], hasNext: false, total: 1 } });
	});

	it.each([
		[[{ id: 'c1' }], 'the answer'],
		[{ data: 'x', meta: { hasNext: false } }, 'data'],
		[{ data: [] }, 'meta'],
		[{ data: [], meta: { page: 0 } }, 'meta.hasNext'],
		[{ data: [1], meta: { hasNext: false } }, 'data.0'],
		[{ data: [{ name: 'no id' }], meta: { hasNext: false } }, 'data.0'],
	])('names where %j differs from the contract', (body, where) => {
		const checked = readListPage(body);
		expect(checked.ok).toBe(false);
		expect(!checked.ok && checked.problem).toContain(`at ${where}:`);
	});
});

describe('records', () => {
	it('finds the ID as id or _id', () => {
		expect(recordId({ id: 'a' })).toBe('a');
		expect(recordId({ _id: 'b' })).toBe('b');
		expect(recordId({ id: 42 })).toBe('42');
		expect(recordId({ id: '' })).toBeNull();
	});

	it('unwraps a single answer given bare or as data', () => {
		expect(unwrapRecord({ data: { id: 'c1' } })).toEqual({ id: 'c1' });
		expect(unwrapRecord({ id: 'c1' })).toEqual({ id: 'c1' });
		expect(unwrapRecord('text')).toBeNull();
	});

	it('reads times as ISO 8601 or epoch milliseconds, at the top or in meta', () => {
		expect(readTime('2026-11-20T10:00:00.000Z')).toBe(Date.parse('2026-11-20T10:00:00.000Z'));
		expect(readTime(1_700_000_000_000)).toBe(1_700_000_000_000);
		expect(readTime('yesterday')).toBeNull();
		expect(readTime(null)).toBeNull();
		expect(contactTime({ meta: { ps_converted_at: 5 } }, 'ps_converted_at')).toBe(5);
		expect(contactTime({ ps_converted_at: 1, meta: { ps_converted_at: 5 } }, 'ps_converted_at')).toBe(5);
		expect(contactTime({ ps_converted_at: null }, 'ps_converted_at')).toBeNull();
	});
});

describe('workspaces', () => {
	it('lists the campaigns of each workspace as funnels, skipping entries without an ID', () => {
		const checked = readWorkspaces({
			data: [
				{
					id: 'w1',
					name: 'Marketing',
					campaigns: [{ id: 'f1', name: 'Solar check', status: 'online' }, { name: 'no id' }, 'junk'],
				},
				{ _id: 'w2', campaigns: [{ _id: 'f2' }] },
				{ id: 'w3', funnels: [{ id: 'not-documented' }] },
			],
		});
		expect(checked.ok).toBe(true);
		expect(funnelsOfWorkspaces(checked.ok ? checked.value : [])).toEqual([
			{ id: 'f1', name: 'Solar check', status: 'online', workspaceName: 'Marketing' },
			{ id: 'f2', name: 'f2', status: null, workspaceName: 'w2' },
		]);
	});

	it('accepts a bare list and refuses anything else', () => {
		expect(readWorkspaces([{ id: 'w1' }])).toEqual({ ok: true, value: [{ id: 'w1' }] });
		expect(readWorkspaces({ data: { id: 'w1' } }).ok).toBe(false);
	});
});

describe('pathIdProblem', () => {
	it.each(['f1', 'cnt_abc123', '64f1c0ffee0123456789abcd', 'question_1234', 'kpi_new-contacts'])('accepts the plain ID %s', (id) => {
		expect(pathIdProblem(id)).toBeNull();
	});

	it.each(['', '.', '..', 'a/b', 'a%2Fb', 'a b', 'c1?x=1', 'c1#x', 'ü', 'x'.repeat(129)])('refuses %j', (id) => {
		expect(pathIdProblem(id)).not.toBeNull();
	});
});

describe('fieldNameProblem', () => {
	it.each(['firstName', 'status', 'city', 'houseNumber', 'zip', 'quiz_answer'])('lets %s through', (name) => {
		expect(fieldNameProblem(name)).toBeNull();
	});

	it.each([
		['ps_converted_at', "Perspective's own metadata", 'Perspective sets its ps_ fields itself'],
		['PS_source', "Perspective's own metadata", 'Perspective sets its ps_ fields itself'],
		['address.city', 'names an address part by its path', 'use "city"'],
		['address.zip', 'names an address part by its path', 'use "postalCode"'],
		['address.planet', 'not an address part', 'The API knows street'],
		['', 'No field name was given', 'Choose the field to update'],
	])('refuses %j, saying why and how to get on', (name, why, fix) => {
		const refusal = fieldNameProblem(name);
		expect(refusal?.problem).toContain(why);
		expect(refusal?.fix).toContain(fix);
	});
});

describe('readListPage, exactly', () => {
	it('gives no total when the API announces none', () => {
		const checked = readListPage({ data: [{ id: 'c1' }], meta: { hasNext: true } });
		expect(checked.ok && checked.value.total).toBeUndefined();
		expect(checked.ok && checked.value.hasNext).toBe(true);
	});

	it('accepts records identified by _id, as recordId reads them', () => {
		expect(readListPage({ data: [{ _id: 'c1' }], meta: { hasNext: false } })).toMatchObject({ ok: true, value: { data: [{ _id: 'c1' }] } });
	});

	it.each([
		[{ data: [{ name: 'no id' }], meta: { hasNext: false } }, 'at data.0: expected each record to have an "id"'],
		[{ meta: { hasNext: false } }, 'at data: expected "data" as a list'],
		[{ data: [], meta: {} }, 'at meta.hasNext: expected "meta.hasNext" as true or false'],
	])('says what %j lacks', (body, problem) => {
		expect(readListPage(body)).toEqual({ ok: false, problem: `unexpected list answer from the Perspective API ${problem}` });
	});
});

describe('records, at their edges', () => {
	it('takes _id when id is empty, and no endless number as an ID', () => {
		expect(recordId({ id: '', _id: 'x' })).toBe('x');
		// JSON reads 1e999 as Infinity
		expect(recordId(JSON.parse('{"id": 1e999}'))).toBeNull();
		expect(recordId({ id: null, _id: 7 })).toBe('7');
	});

	it('reads no endless number and no blank text as a time', () => {
		expect(readTime(JSON.parse('1e999'))).toBeNull();
		expect(readTime('  ')).toBeNull();
		expect(readTime(0)).toBe(0);
	});

	it('unwraps nothing that is no object, and keeps a bare record whose data field is no object', () => {
		expect(unwrapRecord(null)).toBeNull();
		expect(unwrapRecord(undefined)).toBeNull();
		expect(unwrapRecord({ id: 'c1', data: null })).toEqual({ id: 'c1', data: null });
		expect(unwrapRecord({ id: 'c1', data: 'note' })).toEqual({ id: 'c1', data: 'note' });
		expect(unwrapRecord({ data: [{ id: 'w1' }] })).toEqual([{ id: 'w1' }]);
	});
});

describe('workspaces, at their edges', () => {
	it('names a workspace without name or ID as empty, and skips funnel entries that are null', () => {
		expect(funnelsOfWorkspaces([{ campaigns: [null, { id: 'f9' }] }])).toEqual([
			{ id: 'f9', name: 'f9', status: null, workspaceName: '' },
		]);
	});

	it('keeps only the workspaces that are objects', () => {
		expect(readWorkspaces([{ id: 'w1' }, 'junk', null, ['w2']])).toEqual({ ok: true, value: [{ id: 'w1' }] });
	});

	it('says what it expected when the answer holds no list', () => {
		expect(readWorkspaces({ data: { id: 'w1' } })).toEqual({
			ok: false,
			problem: 'unexpected workspaces answer from the Perspective API: expected "data" as a list',
		});
		expect(readWorkspaces('text').ok).toBe(false);
	});
});

describe('pathIdProblem, at its edges', () => {
	const allowed = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'];

	it('accepts any ID of 1 to 128 letters, digits, "_" and "-"', () => {
		expect(pathIdProblem('AZaz09_-')).toBeNull();
		expect(pathIdProblem('x'.repeat(128))).toBeNull();
		fc.assert(
			fc.property(fc.string({ unit: fc.constantFrom(...allowed), minLength: 1, maxLength: 128 }), (id) => pathIdProblem(id) === null),
			{ seed: 13, numRuns: 300 },
		);
	});

	it('refuses an ID with any other character anywhere, saying which characters it may hold', () => {
		const plain = fc.string({ unit: fc.constantFrom(...allowed), maxLength: 20 });
		const other = fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }).filter((char) => !allowed.includes(char));
		fc.assert(
			fc.property(plain, other, plain, (before, char, after) =>
				pathIdProblem(`${before}${char}${after}`) === 'may hold only letters, digits, "_" and "-"',
			),
			{ seed: 13, numRuns: 300 },
		);
	});

	it('says what is wrong with an empty or a too long ID', () => {
		expect(pathIdProblem('')).toBe('a value is required');
		expect(pathIdProblem('x'.repeat(129))).toBe('longer than 128 characters');
	});
});

describe('fieldNameProblem, at its edges', () => {
	it.each(['maps_link', 'shipping_address.city', 'address.city.note', 'addressLine'])('lets the custom property %s through', (name) => {
		expect(fieldNameProblem(name)).toBeNull();
	});

	it.each(['street', 'houseNumber', 'postalCode', 'city', 'state', 'country'])('sends address.%s to its flat name', (part) => {
		expect(fieldNameProblem(`address.${part}`)).toEqual({
			problem: `"address.${part}" names an address part by its path`,
			fix: `Address parts are set by their own name: use "${part}" instead of "address.${part}"`,
		});
	});

	it('names the address parts the API knows', () => {
		expect(fieldNameProblem('address.planet')).toEqual({
			problem: '"address.planet" is not an address part',
			fix: 'The API knows street, houseNumber, postalCode, city, state, country',
		});
		expect(fieldNameProblem('ps_source')).toEqual({
			problem: `"ps_source" is Perspective's own metadata (ps_…), which the API does not let anyone set`,
			fix: 'Choose a contact field or a custom field of your own; Perspective sets its ps_ fields itself',
		});
	});
});

describe('single-record answers', () => {
	it.each(['id', 'fieldName', 'value', 'updatedAt'])('accepts an Update Field answer holding only %s', (key) => {
		expect(readFieldValueAnswer({ data: { [key]: 'x' } })).toEqual({ ok: true, value: { [key]: 'x' } });
	});

	it.each<[string, unknown, string]>([
		['an object without its keys', { data: { ok: true } }, 'an object without id, fieldName, value or updatedAt'],
		['a list as data', { data: [{ fieldName: 'city' }] }, 'a list'],
		['a number', 42, 'a number'],
		['a text', 'done', 'a string'],
		['null', null, 'null'],
	])('says what an Update Field answer holds instead of a field value: %s', (_, body, what) => {
		expect(readFieldValueAnswer(body)).toEqual({
			ok: false,
			problem: `The Perspective API's answer to Update Field is not a field value: JSON holding ${what}`,
		});
	});

	it.each<[unknown, string]>([
		[true, 'a boolean'],
		[{ data: [] }, 'a list'],
		[{ data: { email: 'x' } }, 'an object without an "id"'],
	])('says what a Get answer of %j holds instead of a contact', (body, what) => {
		expect(readContactAnswer(body, 'Get')).toEqual({
			ok: false,
			problem: `The Perspective API's answer to Get is not a contact: JSON holding ${what}`,
		});
	});
});
