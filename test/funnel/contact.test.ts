import { applyEvent, compact, isCompact, keptOf, mergeContacts, viewOf } from '../../nodes/PerspectiveFunnel/funnel/contact';
import type { Contact, ContactEvent, FunnelEventName } from '../../nodes/PerspectiveFunnel/funnel/types';
import { contactEvent, minutes } from '../fixtures/perspective';

const event = contactEvent;
const field = (path: string, value: string, title = path) => ({ path, value, title });

function run(events: ContactEvent[], start?: Contact) {
	let contact = start;
	const reached: FunnelEventName[] = [];
	for (const next of events) {
		const step = applyEvent(contact, next);
		contact = step.contact;
		reached.push(...step.reached);
	}
	return { contact: contact!, reached };
}

const valueOf = (contact: Contact, path: string) => contact.fields.get(path)?.value;

describe('applyEvent', () => {
	it('starts a contact from its first event', () => {
		const { contact, reached } = run([event(minutes(1), { globalId: 'g', fields: [field('roof', 'Flat')] })]);
		expect(contact).toMatchObject({ id: 'c_1', funnelName: 'Solar check', createdAt: minutes(1), lastSeenAt: minutes(1), convertedAt: null, completedAt: null, globalId: { value: 'g', at: minutes(1) } });
		expect(valueOf(contact, 'roof')).toBe('Flat');
		expect(reached).toEqual([]);
	});

	it('reaches new_lead once, at the first conversion', () => {
		const { contact, reached } = run([
			event(minutes(1)),
			event(minutes(2), { convertedAt: minutes(2) }),
			event(minutes(3), { convertedAt: minutes(3) }),
		]);
		expect(reached).toEqual(['new_lead']);
		expect(contact.convertedAt).toBe(minutes(2));
	});

	it('reaches new_lead before funnel_completed when one event does both', () => {
		const step = applyEvent(undefined, event(minutes(1), { convertedAt: minutes(1), completedAt: minutes(1) }));
		expect(step.reached).toEqual(['new_lead', 'funnel_completed']);
	});

	it('gives the view right after the event that reached something, and none otherwise', () => {
		const first = applyEvent(undefined, event(minutes(1), { fields: [field('roof', 'Flat')] }));
		expect(first.view).toBeNull();
		const second = applyEvent(first.contact, event(minutes(2), { convertedAt: minutes(2), fields: [field('email', 'a@b.c', 'Email')] }));
		expect(second.view?.fields).toEqual([field('roof', 'Flat'), field('email', 'a@b.c', 'Email')]);
		expect(second.view?.convertedAt).toBe(minutes(2));
	});

	it('keeps the value of the latest event time when events arrive out of order', () => {
		const { contact } = run([
			event(minutes(5), { fields: [field('roof', 'Gable')], globalId: 'g_new' }),
			event(minutes(1), { fields: [field('roof', 'Flat'), field('city', 'Oslo')], globalId: 'g_old', funnelName: 'Old name' }),
		]);
		expect(valueOf(contact, 'roof')).toBe('Gable');
		expect(valueOf(contact, 'city')).toBe('Oslo');
		expect(contact.globalId?.value).toBe('g_new');
		expect(contact.funnelName).toBe('Solar check');
		expect(contact).toMatchObject({ createdAt: minutes(1), lastSeenAt: minutes(5) });
	});

	it('lets the later event of one request win a tie in time', () => {
		const { contact } = run([event(minutes(1), { fields: [field('roof', 'Flat')] }), event(minutes(1), { fields: [field('roof', 'Gable')] })]);
		expect(valueOf(contact, 'roof')).toBe('Gable');
	});

	it('never turns a flag back: an older snapshot without conversion keeps the contact converted', () => {
		const { contact, reached } = run([event(minutes(3), { convertedAt: minutes(3) }), event(minutes(1), { source: 'snapshot' })]);
		expect(contact.convertedAt).toBe(minutes(3));
		expect(reached).toEqual(['new_lead']);
	});

	it('moves convertedAt earlier when an earlier conversion arrives late, without emitting again', () => {
		const { contact, reached } = run([event(minutes(3), { convertedAt: minutes(3) }), event(minutes(2), { convertedAt: minutes(2) })]);
		expect(reached).toEqual(['new_lead']);
		expect(contact.convertedAt).toBe(minutes(2));
	});

	it('takes createdAt from a snapshot that knows when the contact was first seen', () => {
		const { contact } = run([event(minutes(4), { createdAt: minutes(0) })]);
		expect(contact.createdAt).toBe(minutes(0));
	});

	it('lists result pages once each, in the order first seen', () => {
		const { contact } = run([
			event(minutes(3), { results: ['B'] }),
			event(minutes(1), { results: ['A'] }),
			event(minutes(4), { results: ['B', 'C'] }),
		]);
		expect(viewOf(contact).fields).toEqual([{ path: 'result', value: 'A;B;C', title: 'Result' }]);
	});

	it('does not change the contact it was given', () => {
		const { contact } = run([event(minutes(1), { fields: [field('roof', 'Flat')] })]);
		applyEvent(contact, event(minutes(2), { fields: [field('roof', 'Gable')], convertedAt: minutes(2) }));
		expect(valueOf(contact, 'roof')).toBe('Flat');
		expect(contact.convertedAt).toBeNull();
	});
});

describe('mergeContacts', () => {
	// Three copies of one contact that saw different parts of its history.
	const history = [
		event(minutes(1), { fields: [field('roof', 'Flat'), field('city', 'Oslo')], globalId: 'g1' }),
		event(minutes(2), { fields: [field('roof', 'Gable')], results: ['A'] }),
		event(minutes(3), { fields: [field('email', 'a@b.c')], convertedAt: minutes(3), globalId: 'g2' }),
		event(minutes(4), { results: ['B'], completedAt: minutes(4), funnelName: 'Renamed' }),
		event(minutes(4), { fields: [field('roof', 'Hip')] }),
	];
	const a = run([history[0], history[2]]).contact;
	const b = run([history[1], history[4]]).contact;
	const c = run([history[3], history[0]]).contact;
	const all = run(history).contact;
	const same = (x: Contact, y: Contact) => expect(viewOf(x)).toEqual(viewOf(y));
	const sorted = (x: Contact) => ({ ...viewOf(x), fields: [...viewOf(x).fields].sort((p, q) => p.path.localeCompare(q.path)) });

	it('loses neither side: the merge of partial copies knows what one copy of everything knows', () => {
		expect(sorted(mergeContacts(mergeContacts(a, b), c))).toEqual(sorted(all));
	});

	it('is commutative, associative and idempotent', () => {
		expect(sorted(mergeContacts(a, b))).toEqual(sorted(mergeContacts(b, a)));
		expect(sorted(mergeContacts(mergeContacts(a, b), c))).toEqual(sorted(mergeContacts(a, mergeContacts(b, c))));
		same(mergeContacts(a, a), a);
	});

	it('breaks a tie in time the same way from both sides', () => {
		const x = run([event(minutes(1), { fields: [field('roof', 'Flat')], globalId: 'gx' })]).contact;
		const y = run([event(minutes(1), { fields: [field('roof', 'Gable')], globalId: 'gy' })]).contact;
		same(mergeContacts(x, y), mergeContacts(y, x));
	});

	it('ORs the flags and keeps the earliest times', () => {
		const converted = run([event(minutes(2), { convertedAt: minutes(2) })]).contact;
		const completed = run([event(minutes(1), { completedAt: minutes(1) })]).contact;
		expect(mergeContacts(converted, completed)).toMatchObject({ convertedAt: minutes(2), completedAt: minutes(1), createdAt: minutes(1), lastSeenAt: minutes(2) });
	});

	it('keeps the answers of a copy that had response events when the other copy knows the contact from bodies alone', () => {
		const both = new Set<FunnelEventName>(['new_lead', 'funnel_completed']);
		const answered = run([event(minutes(1), { fields: [field('roof', 'Flat')] })]).contact;
		const bodies = run([event(minutes(2), { source: 'snapshot', fields: [field('email', 'a@b.c')] })]).contact;
		for (const merged of [mergeContacts(answered, bodies), mergeContacts(bodies, answered)]) {
			expect(viewOf(keptOf(merged, both))).toMatchObject({ funnelName: 'Solar check', createdAt: minutes(1), lastSeenAt: minutes(2), fields: [field('roof', 'Flat')] });
		}
	});

	it('keeps of two copies known from bodies alone only the ID, last visit and flags', () => {
		const both = new Set<FunnelEventName>(['new_lead', 'funnel_completed']);
		const first = run([event(minutes(1), { source: 'snapshot', globalId: 'g1', convertedAt: minutes(1) })]).contact;
		const second = run([event(minutes(2), { source: 'snapshot', globalId: 'g2' })]).contact;
		expect(viewOf(keptOf(mergeContacts(first, second), both))).toEqual({
			id: 'c_1',
			funnelName: '',
			createdAt: minutes(2),
			lastSeenAt: minutes(2),
			convertedAt: minutes(2),
			completedAt: null,
			globalId: null,
			fields: [],
		});
	});

	it('keeps a compacted copy settled and its details dropped once compacted again', () => {
		const both = new Set<FunnelEventName>(['new_lead', 'funnel_completed']);
		const settled = compact(all, both);
		const stale = run(history.slice(0, 2)).contact;
		const merged = compact(mergeContacts(stale, settled), both);
		expect(isCompact(merged)).toBe(true);
		expect(merged).toMatchObject({ convertedAt: minutes(3), completedAt: minutes(4), lastSeenAt: minutes(4) });
	});
});

describe('compact', () => {
	const converted = run([event(minutes(1), { fields: [field('email', 'a@b.c')], convertedAt: minutes(1), globalId: 'g' })]).contact;

	it('keeps a contact that can still reach a selected event', () => {
		expect(compact(converted, new Set(['new_lead', 'funnel_completed']))).toBe(converted);
	});

	it('drops profile, funnel name and global ID once no selected event is left, keeping the times', () => {
		const compacted = compact(converted, new Set(['new_lead']));
		expect(isCompact(compacted)).toBe(true);
		expect(compacted).toMatchObject({ id: 'c_1', createdAt: minutes(1), lastSeenAt: minutes(1), convertedAt: minutes(1), completedAt: null });
	});

	it('still reaches funnel_completed later from a compacted contact, with the completing event\'s fields', () => {
		const compacted = compact(converted, new Set(['new_lead']));
		const step = applyEvent(compacted, event(minutes(2), { completedAt: minutes(2), fields: [field('result', 'x')] }));
		expect(step.reached).toEqual(['funnel_completed']);
		expect(step.view).toMatchObject({ funnelName: 'Solar check', fields: [field('result', 'x')] });
	});
});
