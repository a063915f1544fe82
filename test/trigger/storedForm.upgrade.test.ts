/**
 * A state written by 0.1.0 (`test/fixtures/storedForm-0.1.0.json`, made by that version's code)
 * is read by this one, in both memories: a replay of any of its contacts emits nothing, and each
 * contact that could still emit emits what it would have, with the answers 0.1.0 stored.
 */
import { decodeContacts } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { contactIdsOf, decide, type LoadedContacts } from '../../nodes/PerspectiveFunnel/funnel/decide';
import { parseRequestBody } from '../../nodes/PerspectiveFunnel/funnel/parse';
import type { Contact, ContactEvent, Emission, TriggerSettings } from '../../nodes/PerspectiveFunnel/funnel/types';
import { ContactStore } from '../../nodes/PerspectiveFunnel/trigger/contactStore';
import { KeySpace, decodeStoredContact } from '../../redis/nodes/PerspectiveFunnelRedisTrigger/redisMemory';
import { funnelCompletedBody, iso, minutes, newLeadBody } from '../fixtures/perspective';
import { PERSPECTIVE_IDS, STORED_0_1_0, type StoredFormFixture } from '../fixtures/storedForm';
import fixtureJson from '../fixtures/storedForm-0.1.0.json';

const fixture = fixtureJson as StoredFormFixture;
const NOW = STORED_0_1_0.now + 60 * 60_000;
const SETTINGS: TriggerSettings = {
	events: new Set(STORED_0_1_0.settings.events),
	funnelNames: new Set(),
	retentionDays: STORED_0_1_0.settings.retentionDays,
	maxContacts: STORED_0_1_0.settings.maxContacts,
};

function parsed(body: unknown): ContactEvent[] {
	const result = parseRequestBody(body, NOW);
	if (!result.ok) throw new Error(result.problem.message);
	return result.events;
}

/** One production request against a memory that starts from the fixture. */
type Request = (events: ContactEvent[]) => Emission[];

/** The static-data memory after an upgrade: a new process, n8n's static data as 0.1.0 left it. */
function staticDataMemory(): Request {
	const store = new ContactStore('upgraded');
	const staticData = structuredClone(fixture.staticData['node:Perspective Funnel Trigger']);
	return (events) =>
		store.transact(staticData, contactIdsOf(events, SETTINGS), (loaded) => decide(loaded, events, SETTINGS, NOW), NOW).emissions;
}

/** The Redis memory's read and decide, on the keys 0.1.0 wrote (each request's writes kept as it would commit them). */
function redisMemory(): Request {
	const keys = new KeySpace('perspective-funnel', 'wfFixture0100', 'node-0100');
	const values = new Map(Object.entries(fixture.redis));
	const written = new Map<string, Contact>();
	return (events) => {
		const contacts = new Map<string, Contact>();
		let unreadable = 0;
		for (const id of contactIdsOf(events, SETTINGS)) {
			const value = values.get(keys.contact(id));
			const contact = written.get(id) ?? (value === undefined ? undefined : decodeStoredContact(value, id));
			if (contact) contacts.set(id, contact);
			else if (value !== undefined) unreadable++;
		}
		const loaded: LoadedContacts = { contacts, unreadable };
		const decision = decide(loaded, events, SETTINGS, NOW);
		expect(decision.unreadable).toBe(0);
		for (const contact of decision.write) written.set(contact.id, contact);
		return decision.emissions;
	};
}

const summary = (emissions: Emission[]) => emissions.map(({ event, contact }) => `${contact.id}:${event}`);
const fieldsOf = (emission: Emission) => Object.fromEntries(emission.contact.fields.map((field) => [field.path, field.value]));

describe.each([
	['static data', staticDataMemory],
	['Redis', redisMemory],
])('a state written by 0.1.0, read by this version (%s)', (_name, memory) => {
	it('reads every contact of the fixture, none unreadable', () => {
		const stored = fixture.staticData['node:Perspective Funnel Trigger'].contacts as string;
		const { contacts, unreadable } = decodeContacts(stored);
		expect([contacts.length, unreadable]).toEqual([7, 0]);
		const keys = new KeySpace('perspective-funnel', 'wfFixture0100', 'node-0100');
		for (const contact of contacts) expect(decodeStoredContact(fixture.redis[keys.contact(contact.id)], contact.id)?.id).toBe(contact.id);
	});

	it('emits nothing for a replay of every request that wrote it, one by one or all at once', () => {
		const request = memory();
		for (const body of STORED_0_1_0.requests) expect(summary(request(parsed(body)))).toEqual([]);
		expect(summary(memory()(STORED_0_1_0.requests.flatMap(parsed)))).toEqual([]);
	});

	it('a lead of a New Lead body that completes: Funnel Completed, once', () => {
		const request = memory();
		const [completed] = request(parsed(funnelCompletedBody({ id: PERSPECTIVE_IDS.lead })));
		expect(summary([completed])).toEqual([`${PERSPECTIVE_IDS.lead}:funnel_completed`]);
		expect(fieldsOf(completed)).toMatchObject({ email: 'ada@example.com', result: 'Good fit' });
		expect(summary(request(parsed(funnelCompletedBody({ id: PERSPECTIVE_IDS.lead }))))).toEqual([]);
	});

	it('a visitor who completed without converting, then converts: New Lead, once', () => {
		const request = memory();
		const later = funnelCompletedBody({ id: PERSPECTIVE_IDS.visitor, at: minutes(20) });
		const body = { ...later, meta: { ...later.meta, convertedAt: iso(minutes(20)) } };
		const emissions = request(parsed(body));
		expect(summary(emissions)).toEqual([`${PERSPECTIVE_IDS.visitor}:new_lead`]);
		expect(emissions[0].contact.convertedAt).toBe(minutes(20));
		expect(summary(request(parsed(newLeadBody({ id: PERSPECTIVE_IDS.visitor, at: minutes(20) }))))).toEqual([]);
	});

	it('response events: the answers 0.1.0 stored are in the items of the events still to come', () => {
		const request = memory();
		const email = { type: 'response', contactId: 'r_open', funnelName: 'Solar check', timestamp: iso(minutes(10)), answers: [{ id: 'email', value: 'bo@example.com' }] };
		const [lead] = request(parsed(email));
		expect(summary([lead])).toEqual(['r_open:new_lead']);
		expect(fieldsOf(lead)).toEqual({ roofType: 'Flat;Gable', cookies: 'Google Analytics;Meta Pixel', monthlyBill: '120', 'address.city': 'Berlin', email: 'bo@example.com' });
		expect(lead.contact.createdAt).toBe(minutes(0));

		const lastPage = (contactId: string) => ({ type: 'response', contactId, funnelName: 'Solar check', timestamp: iso(minutes(11)), page: { isLast: true } });
		const [completed] = request(parsed(lastPage('r_lead')));
		expect(summary([completed])).toEqual(['r_lead:funnel_completed']);
		expect(fieldsOf(completed)).toMatchObject({ roofType: 'Flat;Gable', email: 'ada@example.com', firstName: 'Ada' });
		expect([completed.contact.createdAt, completed.contact.convertedAt]).toEqual([minutes(0), minutes(2)]);

		// a contact told by both kinds: 0.1.0 kept every field, and they are kept still
		const [mixed] = request(parsed(lastPage('m_mixed')));
		expect(summary([mixed])).toEqual(['m_mixed:funnel_completed']);
		expect(fieldsOf(mixed)).toMatchObject({ roofType: 'Flat;Gable', monthlyBill: '120', email: 'ada@example.com', q8fk2l1: 'Flat;Gable' });
		expect(summary(request(parsed([lastPage('r_lead'), lastPage('m_mixed'), email])))).toEqual([]);
	});
});
