import { contactEmission, contactView, profileFields, simplifiedContact } from '../../nodes/PerspectiveFunnel/api/contactItem';
import { toWebhookItem } from '../../nodes/PerspectiveFunnel/funnel/output';

describe('profileFields', () => {
	it('turns an API contact into dotted fields with titles, leaving metadata out', () => {
		expect(
			profileFields({
				id: 'c1',
				_id: 'c1',
				email: 'ada@example.com',
				firstName: 'Ada',
				address: { city: 'Berlin', geo: { lat: 52.5 } },
				roofType: ['Flat', 'Gable'],
				newsletter: true,
				monthlyBill: { value: '120', title: 'Monthly bill' },
				phone: null,
				note: '',
				ps_converted_at: '2026-11-20T10:00:00.000Z',
				meta: { ps_first_seen_at: 1 },
				_internal: 'x',
			}),
		).toEqual([
			{ path: 'email', value: 'ada@example.com', title: 'Email' },
			{ path: 'firstName', value: 'Ada', title: 'First name' },
			{ path: 'address.city', value: 'Berlin', title: 'City' },
			{ path: 'address.geo.lat', value: '52.5', title: 'address.geo.lat' },
			{ path: 'roofType', value: 'Flat;Gable', title: 'roofType' },
			{ path: 'newsletter', value: 'true', title: 'newsletter' },
			{ path: 'monthlyBill', value: '120', title: 'Monthly bill' },
		]);
	});

	it('drops keys that could not be a profile path, and lists of objects', () => {
		const contact = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "x", "a..b": "y", "items": [{"x": 1}], "ok": "1"}');
		expect(profileFields(contact)).toEqual([{ path: 'ok', value: '1', title: 'ok' }]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('stops at the depth the trigger accepts', () => {
		const deep = { a: { b: { c: { d: { e: { f: 'too deep' } } } } }, x: { y: 'fine' } };
		expect(profileFields(deep)).toEqual([{ path: 'x.y', value: 'fine', title: 'x.y' }]);
	});
});

describe('contactEmission', () => {
	it("gives a polled lead the webhook trigger's item format", () => {
		const item = toWebhookItem(
			contactEmission(
				'new_lead',
				{
					id: 'c1',
					email: 'ada@example.com',
					address: { city: 'Berlin' },
					ps_first_seen_at: '2026-11-20T09:58:00.000Z',
					ps_converted_at: '2026-11-20T10:00:00.000Z',
					ps_completed_at: null,
				},
				'Solar check',
			),
		);
		expect(item).toEqual({
			event: 'new_lead',
			id: 'c1',
			funnelName: 'Solar check',
			meta: {
				createdAt: '2026-11-20T09:58:00.000Z',
				lastSeenAt: '2026-11-20T10:00:00.000Z',
				completedAt: null,
				convertedAt: '2026-11-20T10:00:00.000Z',
				globalId: null,
				completed: false,
				converted: true,
			},
			profile: {
				email: { value: 'ada@example.com', title: 'Email' },
				address: { city: { value: 'Berlin', title: 'City' } },
			},
		});
	});

	it("keeps the contact's own funnel name and global ID when the API gives them", () => {
		const { contact } = contactEmission(
			'new_contact',
			{ id: 'c2', funnelName: 'Roof quiz', ps_global_id: 'g2', ps_first_seen_at: 10, ps_last_seen_at: 30 },
			'Solar check',
		);
		expect(contact).toMatchObject({ funnelName: 'Roof quiz', globalId: 'g2', createdAt: 10, lastSeenAt: 30, convertedAt: null });
	});
});

describe('profileFields, at its edges', () => {
	it('leaves out the bookkeeping keys of a contact', () => {
		expect(
			profileFields({ id: 'c1', _id: 'c1', funnelId: 'f1', workspaceId: 'w1', funnelName: 'Solar', globalId: 'g1', meta: {}, city: 'Berlin' }),
		).toEqual([{ path: 'city', value: 'Berlin', title: 'city' }]);
	});

	it('puts custom properties at the top of the profile, unless the contact has that field itself', () => {
		expect(profileFields({ email: 'ada@example.com', properties: { roofAge: '12', email: 'other@example.com' } })).toEqual([
			{ path: 'email', value: 'ada@example.com', title: 'Email' },
			{ path: 'roofAge', value: '12', title: 'roofAge' },
		]);
	});

	it('keeps a properties field that is no object as a field of that name', () => {
		expect(profileFields({ properties: 'none' })).toEqual([{ path: 'properties', value: 'none', title: 'properties' }]);
	});

	it('reads { value, title } as one answer, and an object with other keys beside value as a branch', () => {
		expect(profileFields({ bill: { value: '120', unit: 'EUR' }, note: { title: 'Note' } })).toEqual([
			{ path: 'bill.value', value: '120', title: 'bill.value' },
			{ path: 'bill.unit', value: 'EUR', title: 'bill.unit' },
			{ path: 'note.title', value: 'Note', title: 'note.title' },
		]);
	});

	it('gives an answer with a blank title its default title', () => {
		expect(profileFields({ email: { value: 'ada@example.com', title: '' } })).toEqual([
			{ path: 'email', value: 'ada@example.com', title: 'Email' },
		]);
	});

	it('drops a list that holds anything but plain values', () => {
		expect(profileFields({ mixed: ['a', { x: 1 }], plain: ['a', 2, false] })).toEqual([{ path: 'plain', value: 'a;2;false', title: 'plain' }]);
	});

	it('keeps at most 10,000 characters of a value', () => {
		expect(profileFields({ story: 'x'.repeat(10_001) })).toEqual([{ path: 'story', value: 'x'.repeat(10_000), title: 'story' }]);
	});

	it('takes a field at the deepest level the trigger accepts, counting the dots inside keys', () => {
		expect(profileFields({ a: { b: { c: { d: { e: 'five', f: { g: 'six' } } } } }, 'x.y.z.w': { v: 'five', u: { t: 'six' } } })).toEqual([
			{ path: 'a.b.c.d.e', value: 'five', title: 'a.b.c.d.e' },
			{ path: 'x.y.z.w.v', value: 'five', title: 'x.y.z.w.v' },
		]);
	});
});

describe('contactView, at its edges', () => {
	it('falls back to the earliest and the latest known time when first or last seen is missing', () => {
		const view = contactView({ id: 'c1', meta: { ps_converted_at: 20, ps_completed_at: 50 } }, 'Solar check');
		expect(view).toMatchObject({ createdAt: 20, lastSeenAt: 50, convertedAt: 20, completedAt: 50 });
	});

	it('gives 0 for first and last seen, and an empty ID, when the API gives none', () => {
		expect(contactView({}, 'Solar check')).toEqual({
			id: '',
			funnelName: 'Solar check',
			createdAt: 0,
			lastSeenAt: 0,
			convertedAt: null,
			completedAt: null,
			globalId: null,
			fields: [],
		});
	});

	it('takes the global ID as globalId or ps_global_id, and only as text', () => {
		expect(contactView({ id: 'c1', globalId: 'g1', ps_global_id: 'g2' }, 'F').globalId).toBe('g1');
		expect(contactView({ id: 'c1', globalId: 7 }, 'F').globalId).toBeNull();
	});
});

describe('simplifiedContact', () => {
	it('gives null for blank or missing fields and for a contact that has not converted', () => {
		expect(simplifiedContact({ id: 'c1', email: '', phone: 12, firstName: 'Ada', meta: { ps_converted_at: null } })).toEqual({
			id: 'c1',
			email: null,
			phone: null,
			firstName: 'Ada',
			lastName: null,
			status: null,
			convertedAt: null,
		});
	});

	it('gives the conversion time as ISO 8601', () => {
		expect(simplifiedContact({ id: 'c1', ps_converted_at: 0 }).convertedAt).toBe('1970-01-01T00:00:00.000Z');
	});
});
