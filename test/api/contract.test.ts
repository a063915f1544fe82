import {
	contactTime,
	fieldNameProblem,
	funnelsOfWorkspaces,
	pathIdProblem,
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
		['ps_converted_at', "Perspective's own metadata"],
		['PS_source', "Perspective's own metadata"],
		['address.city', 'use "city"'],
		['address.zip', 'use "postalCode"'],
		['address.planet', 'not an address part'],
		['', 'a value is required'],
	])('refuses %j, saying why', (name, why) => {
		expect(fieldNameProblem(name)).toContain(why);
	});
});
