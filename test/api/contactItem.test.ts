import { contactEmission, profileFields } from '../../nodes/PerspectiveFunnel/api/contactItem';
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
