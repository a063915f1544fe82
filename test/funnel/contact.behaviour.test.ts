/**
 * One contact's history as the workflow sees it: the item a reached event carries, and the
 * contact two copies merge to, whichever copy comes first. Written against the survivors of
 * mutation testing (docs/mutation-testing.md).
 */
import { applyEvent, compact, mergeContacts, viewOf } from '../../nodes/PerspectiveFunnel/funnel/contact';
import { NOTHING_LOADED, decide } from '../../nodes/PerspectiveFunnel/funnel/decide';
import { ContactStore } from '../../nodes/PerspectiveFunnel/trigger/contactStore';
import { handle } from '../helpers/storeRequest';
import type { Contact, ContactEvent, FunnelEventName } from '../../nodes/PerspectiveFunnel/funnel/types';
import { contactEvent, minutes } from '../fixtures/perspective';

const event = contactEvent;

function contactOf(events: ContactEvent[], start?: Contact): Contact {
	let contact = start;
	for (const next of events) contact = applyEvent(contact, next).contact;
	return contact!;
}

const LEADS_ONLY = new Set<FunnelEventName>(['new_lead']);
const BOTH = new Set<FunnelEventName>(['new_lead', 'funnel_completed']);

describe('the contact an event leaves behind', () => {
	it('takes the funnel name and global ID of the later of two events stamped with the same time', () => {
		const contact = contactOf([
			event(minutes(1), { funnelName: 'Solar check', globalId: 'g_first' }),
			event(minutes(1), { funnelName: 'Solar check (new)', globalId: 'g_second' }),
		]);
		expect(viewOf(contact)).toMatchObject({ funnelName: 'Solar check (new)', globalId: 'g_second' });
	});

	it('keeps the global ID of the latest event when an older one arrives late', () => {
		const contact = contactOf([event(minutes(2), { globalId: 'g_new' }), event(minutes(1), { globalId: 'g_old' })]);
		expect(viewOf(contact).globalId).toBe('g_new');
	});

	it('lists result pages reported at the same time in the order they were reported', () => {
		const one = contactOf([event(minutes(1), { results: ['Zebra', 'Apple', 'Mango'] })]);
		expect(viewOf(one).fields).toEqual([{ path: 'result', value: 'Zebra;Apple;Mango', title: 'Result' }]);
		const two = contactOf([event(minutes(1), { results: ['Zebra'] }), event(minutes(1), { results: ['Apple'] })]);
		expect(viewOf(two).fields).toEqual([{ path: 'result', value: 'Zebra;Apple', title: 'Result' }]);
	});

	it('gives a completion that arrives late for a compacted contact the funnel name, once the event is selected again', () => {
		// a lead while only New Lead was selected: compacted, its funnel name dropped
		const lead = compact(contactOf([event(minutes(5), { convertedAt: minutes(5) })]), LEADS_ONLY);
		expect(lead.funnelName).toBe('');
		// Funnel Completed selected again; the completing page (older than the lead's last page) arrives late
		const step = applyEvent(lead, event(minutes(4), { completedAt: minutes(4), results: ['Good fit'] }));
		expect(step.reached).toEqual(['funnel_completed']);
		expect(step.view).toMatchObject({ funnelName: 'Solar check', lastSeenAt: minutes(5), completedAt: minutes(4) });
	});

	it('keeps the earliest time a result page was seen, whatever order the events come in', () => {
		const late = contactOf([event(minutes(3), { results: ['B'] }), event(minutes(2), { results: ['A'] }), event(minutes(1), { results: ['B'] })]);
		expect(viewOf(late).fields[0].value).toBe('B;A');
		const again = contactOf([event(minutes(1), { results: ['A'] }), event(minutes(2), { results: ['B'] }), event(minutes(3), { results: ['A'] })]);
		expect(viewOf(again).fields[0].value).toBe('A;B');
	});

	it.each<[string, Set<FunnelEventName>]>([
		['only New Lead', LEADS_ONLY],
		['both events', BOTH],
	])('with %s selected, a visitor who is not a lead yet keeps every answer until the lead item carries them', (_name, events) => {
		const store = new ContactStore('p1');
		const settings = { events, funnelNames: new Set<string>(), retentionDays: 30, maxContacts: 10_000 };
		// the funnel is completed without a contact form first (a result page), then the visitor leaves an email
		handle(store, undefined, [event(minutes(1), { fields: [{ path: 'roof', value: 'Flat', title: 'Roof' }] })], settings, minutes(1));
		handle(store, undefined, [event(minutes(2), { completedAt: minutes(2), results: ['Good fit'] })], settings, minutes(2));
		const outcome = handle(store, undefined, [event(minutes(3), { convertedAt: minutes(3), fields: [{ path: 'email', value: 'a@b.c', title: 'Email' }] })], settings, minutes(3));
		const lead = outcome.emissions.find((emission) => emission.event === 'new_lead');
		expect(lead?.contact.fields.map((field) => field.path)).toEqual(['roof', 'email', 'result']);
	});
});

describe('two copies of one contact merge to the same contact, whichever comes first', () => {
	const both = (a: Contact, b: Contact) => {
		const ab = viewOf(mergeContacts(a, b));
		expect(viewOf(mergeContacts(b, a))).toEqual(ab);
		return ab;
	};

	it('when both were last seen at the same time under different funnel names', () => {
		const a = contactOf([event(minutes(1), { funnelName: 'Alpha' })]);
		const b = contactOf([event(minutes(1), { funnelName: 'Beta' })]);
		expect(both(a, b).funnelName).toBe('Beta');
	});

	it('when the copy seen later was compacted: the funnel name the other copy knows is kept', () => {
		const full = contactOf([event(minutes(1), { funnelName: 'Solar check', convertedAt: minutes(1) })]);
		const later = compact(contactOf([event(minutes(2), { funnelName: 'Solar check', convertedAt: minutes(1) })]), LEADS_ONLY);
		expect(later.funnelName).toBe('');
		expect(both(full, later)).toMatchObject({ funnelName: 'Solar check', lastSeenAt: minutes(2) });
	});

	it('when the copy seen later knows its funnel name', () => {
		const older = contactOf([event(minutes(1), { funnelName: 'Old name' })]);
		const newer = contactOf([event(minutes(2), { funnelName: 'New name' })]);
		expect(both(older, newer).funnelName).toBe('New name');
	});

	it('when only one copy has a global ID, or both have one', () => {
		const none = contactOf([event(minutes(1))]);
		const withId = contactOf([event(minutes(1), { globalId: 'g_1' })]);
		const laterId = contactOf([event(minutes(2), { globalId: 'g_2' })]);
		expect(both(none, withId).globalId).toBe('g_1');
		expect(both(withId, laterId).globalId).toBe('g_2');
		expect(both(none, none).globalId).toBeNull();
	});

	it('when each saw a result page the other did not, or the same page at different times', () => {
		const a = contactOf([event(minutes(1), { results: ['A'] }), event(minutes(4), { results: ['C'] })]);
		const b = contactOf([event(minutes(2), { results: ['B'] }), event(minutes(3), { results: ['A'] })]);
		expect(both(a, b).fields).toEqual([{ path: 'result', value: 'A;B;C', title: 'Result' }]);
	});

	it('when they hold the same field and global ID set at different times: the later value wins, whatever it says', () => {
		const older = contactOf([event(minutes(1), { globalId: 'g_zzz', fields: [{ path: 'roof', value: 'Zinc', title: 'Roof' }] })]);
		const newer = contactOf([event(minutes(2), { globalId: 'g_aaa', fields: [{ path: 'roof', value: 'Flat', title: 'Roof' }] })]);
		expect(both(older, newer)).toMatchObject({ globalId: 'g_aaa', fields: [{ path: 'roof', value: 'Flat', title: 'Roof' }] });
	});

	it('when they hold the same field with the same time and the same value', () => {
		const a = contactOf([event(minutes(1), { fields: [{ path: 'roof', value: 'Flat', title: 'Roof' }] })]);
		const b = contactOf([event(minutes(1), { fields: [{ path: 'roof', value: 'Flat', title: 'Roof' }] })]);
		expect(both(a, b).fields).toEqual([{ path: 'roof', value: 'Flat', title: 'Roof' }]);
	});

	it('when they hold the same field with the same time and value, under different titles', () => {
		const a = contactOf([event(minutes(1), { fields: [{ path: 'roof', value: 'Flat', title: 'Roof' }] })]);
		const b = contactOf([event(minutes(1), { fields: [{ path: 'roof', value: 'Flat', title: 'Your roof' }] })]);
		expect(both(a, b).fields).toEqual([{ path: 'roof', value: 'Flat', title: 'Your roof' }]);
	});

	it('settled under both events and compacted again, it keeps only its times', () => {
		const converted = contactOf([event(minutes(1), { convertedAt: minutes(1), fields: [{ path: 'email', value: 'a@b.c', title: 'Email' }] })]);
		const completed = contactOf([event(minutes(2), { completedAt: minutes(2), results: ['Good fit'] })]);
		const merged = compact(mergeContacts(converted, completed), BOTH);
		expect(viewOf(merged)).toEqual({ id: 'c_1', funnelName: '', createdAt: minutes(1), lastSeenAt: minutes(2), convertedAt: minutes(1), completedAt: minutes(2), globalId: null, fields: [] });
	});
});

describe("the bounds on one contact's stored answers, as the decision applies them", () => {
	const SETTINGS = { events: BOTH, funnelNames: new Set<string>(), retentionDays: 30, maxContacts: 10_000 };
	const field = (path: string, value = 'x', title = path) => ({ path, value, title });
	const fields = (count: number) => Array.from({ length: count }, (_, index) => field(`q${index}`));
	const pages = (count: number) => Array.from({ length: count }, (_, index) => `Page ${index}`);
	const refusal = (events: ContactEvent[]) => decide(NOTHING_LOADED, events, SETTINGS, minutes(1)).refusal;

	it('holds 300 fields, result pages included, and refuses the 301st with 413 for the contact as a whole', () => {
		expect(refusal([event(minutes(1), { fields: fields(300) })])).toBeNull();
		expect(refusal([event(minutes(1), { fields: fields(298), results: pages(2) })])).toBeNull();
		const tooMany = { kind: 'tooLarge', index: 1, field: '', message: 'more than 300 fields for one contact' };
		expect(refusal([event(minutes(1), { fields: fields(299) }), event(minutes(1), { results: pages(2) })])).toEqual(tooMany);
		expect(refusal([event(minutes(1), { fields: fields(150) }), event(minutes(1), { fields: fields(301).slice(150) })])).toEqual(tooMany);
	});

	it('holds 100,000 characters of identifiers, values and titles, and refuses one more with 413', () => {
		// 4 + 99,992 + 4 characters
		expect(refusal([event(minutes(1), { fields: [field('note', 'x'.repeat(99_992), 'Note')] })])).toBeNull();
		expect(refusal([event(minutes(1), { fields: [field('note', 'x'.repeat(99_993), 'Note')] })])).toEqual({
			kind: 'tooLarge',
			index: 0,
			field: '',
			message: "one contact's stored answers would exceed 100000 characters",
		});
	});

	it('counts titles and result pages toward the 100,000 characters', () => {
		expect(refusal([event(minutes(1), { fields: [field('a', 'x', 't'.repeat(99_999))] })])?.kind).toBe('tooLarge');
		expect(refusal([event(minutes(1), { results: ['Good fit'] }), event(minutes(2), { results: ['r'.repeat(99_993)] })])).toMatchObject({
			kind: 'tooLarge',
			index: 1,
			field: '',
		});
	});
});
