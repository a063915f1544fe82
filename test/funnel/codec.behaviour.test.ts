/**
 * The stored form of contacts as its readers see it: what goes in comes back out exactly, and a
 * damaged stored copy is counted record by record, never thrown. Written against the survivors
 * of mutation testing (docs/mutation-testing.md).
 */
import { Dictionary, decodeContacts, encodeContact, joinEncoded } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { applyEvent, emptyContact, remembered } from '../../nodes/PerspectiveFunnel/funnel/contact';
import type { Contact, ContactEvent } from '../../nodes/PerspectiveFunnel/funnel/types';
import { contactEvent, minutes } from '../fixtures/perspective';

const event = contactEvent;

function contactOf(...events: ContactEvent[]): Contact {
	let contact: Contact | undefined;
	for (const next of events) contact = applyEvent(contact, next).contact;
	return contact!;
}

function store(contacts: Contact[]): string {
	const dictionary = new Dictionary();
	return joinEncoded(dictionary, contacts.map((contact) => encodeContact(contact, dictionary)));
}

/** A stored string whose dictionary and records are given as JSON values. */
const stored = (dictionary: unknown, ...records: unknown[]) => JSON.stringify([dictionary, ...records]);

describe('round trip of what a contact can hold', () => {
	it.each<[string, Contact]>([
		['only a funnel name', contactOf(event(minutes(1)))],
		['a global ID, nothing else', contactOf(event(minutes(1), { funnelName: '', globalId: 'g_1' }))],
		['one field under its standard title', contactOf(event(minutes(1), { funnelName: '', fields: [{ path: 'email', value: 'a@b.c', title: 'Email' }] }))],
		['one field under a title of its own', contactOf(event(minutes(1), { funnelName: '', fields: [{ path: 'email', value: 'a@b.c', title: 'Your e-mail' }] }))],
		['a field titled by its identifier', contactOf(event(minutes(1), { funnelName: '', fields: [{ path: 'q1', value: 'yes', title: 'q1' }] }))],
		['one result page, nothing else', contactOf(event(minutes(1), { funnelName: '', results: ['Good fit'] }))],
		['an empty field value', contactOf(event(minutes(1), { fields: [{ path: 'q1', value: '', title: 'Question' }] }))],
		[
			'fields and results set at different times, converted and completed',
			contactOf(
				event(minutes(1), { createdAt: minutes(0), globalId: 'g_old', fields: [{ path: 'roof', value: 'Flat', title: 'Roof' }], results: ['A'] }),
				event(minutes(2), { globalId: 'g_new', fields: [{ path: 'email', value: 'a@b.c', title: 'Email' }], convertedAt: minutes(2) }),
				event(minutes(4), { results: ['B'], completedAt: minutes(4) }),
				event(minutes(3), { fields: [{ path: 'roof', value: 'Gable', title: 'Roof' }] }),
			),
		],
		['a contact that is all times (compacted)', { ...emptyContact('c_1'), createdAt: minutes(0), lastSeenAt: minutes(6), convertedAt: minutes(2), completedAt: minutes(5), hasResponses: true }],
		['a contact known from webhook bodies alone (remembered)', remembered(contactOf(event(minutes(2), { source: 'snapshot', convertedAt: minutes(1), fields: [{ path: 'email', value: 'a@b.c', title: 'Email' }] })))],
	])('keeps %s exactly', (_name, contact) => {
		expect(decodeContacts(store([contact]))).toEqual({ contacts: [contact], unreadable: 0 });
	});

	it('keeps the times of a conversion and a completion that came before the last visit', () => {
		const contact = contactOf(event(minutes(1), { convertedAt: minutes(1) }), event(minutes(2), { completedAt: minutes(2) }), event(minutes(3)));
		expect(contact).toMatchObject({ lastSeenAt: minutes(3), convertedAt: minutes(1), completedAt: minutes(2) });
		expect(decodeContacts(store([contact])).contacts).toEqual([contact]);
	});

	it('keeps several contacts, in order, sharing one dictionary', () => {
		const contacts = ['a', 'b', 'c'].map((id, index) =>
			contactOf(event(minutes(index), { contactId: id, funnelName: `Funnel ${index % 2}`, fields: [{ path: 'roof', value: id, title: 'Roof' }] })),
		);
		expect(decodeContacts(store(contacts))).toEqual({ contacts, unreadable: 0 });
	});

	it('stores a title that differs from the standard one, and leaves a standard one out', () => {
		const custom = contactOf(event(minutes(1), { fields: [{ path: 'email', value: 'a@b.c', title: 'Your e-mail' }] }));
		const standard = contactOf(event(minutes(1), { fields: [{ path: 'email', value: 'a@b.c', title: 'Email' }] }));
		expect(store([custom])).toContain('Your e-mail');
		expect(store([standard])).not.toContain('"Email"');
	});

	it('keeps the whole stored string valid JSON for any number of contacts', () => {
		const contacts = Array.from({ length: 3 }, (_, index) => contactOf(event(minutes(index), { contactId: `c${index}` })));
		for (let count = 0; count <= 3; count++) {
			const text = store(contacts.slice(0, count));
			expect(() => JSON.parse(text)).not.toThrow();
			expect(decodeContacts(text).contacts).toHaveLength(count);
		}
	});
});

describe('a damaged stored copy', () => {
	const T = minutes(10);
	const compact = ['c_1', T, 600000, null, null];
	const full = (...rest: unknown[]) => ['c_1', T, 600000, null, null, 0, null, 0, ...rest];

	it.each<[string, string]>([
		['a compact record', stored([], compact)],
		['a full record', stored(['Solar check', 'email'], full([[1, 'a@b.c', 0]], []))],
		['a record with a global ID', stored(['F'], full([], []).map((value, index) => (index === 6 ? 'g_1' : value)))],
	])('reads %s', (_name, text) => {
		expect(decodeContacts(text).unreadable).toBe(0);
		expect(decodeContacts(text).contacts).toHaveLength(1);
	});

	it.each<[string, unknown]>([
		['not a list', { id: 'c_1' }],
		['too short', ['c_1', T, 0, null]],
		['between the two lengths', [...compact, 0]],
		['too long', [...full([], []), 'extra']],
		['an id that is not text', [1, T, 0, null, null]],
		['a last-seen time that is text', ['c_1', String(T), 0, null, null]],
		['an infinite time', 'INFINITE'],
		['a created time missing', ['c_1', T, null, null, null]],
		['a conversion time that is text', ['c_1', T, 0, 'yes', null]],
		['a completion time that is text', ['c_1', T, 0, null, 'yes']],
		['a funnel name that is not in the dictionary', full([], []).map((value, index) => (index === 5 ? 7 : value))],
		['a funnel name given as text, not as an index', full([], []).map((value, index) => (index === 5 ? 'F' : value))],
		['a global ID time that is text', full([], []).map((value, index) => (index === 7 ? '0' : value))],
		['fields that are not a list', full({}, [])],
		['a field that is not a list', full([null], [])],
		['a field whose identifier is not in the dictionary', full([[9, 'x', 0]], [])],
		['a field whose value is not text', full([[1, 5, 0]], [])],
		['a field whose time is text', full([[1, 'x', '0']], [])],
		['a field whose title is not in the dictionary', full([[1, 'x', 0, 9]], [])],
		['results that are not a list', full([], {})],
		['a result that is not a list', full([], [null])],
		['a result that is not in the dictionary', full([], [[9, 0]])],
		['a result whose time is text', full([], [[0, '0']])],
	])('counts a record with %s as unreadable, and still reads the others', (_name, record) => {
		const text =
			record === 'INFINITE'
				? `[["F","email"],["c_1",1e999,0,null,null],${JSON.stringify(compact)}]`
				: stored(['F', 'email'], record, compact);
		expect(decodeContacts(text)).toEqual({ contacts: [expect.objectContaining({ id: 'c_1', lastSeenAt: T })], unreadable: 1 });
	});

	it.each([
		['not JSON', '{"truncated'],
		['JSON, but not a list', '{"contacts":[]}'],
		['a list without a dictionary', '[1,["c_1",1,0,null,null]]'],
		['a dictionary that is not a list', '["F",["c_1",1,0,null,null]]'],
	])('reads a stored copy that is %s as one unreadable record and no contacts', (_name, text) => {
		expect(decodeContacts(text)).toEqual({ contacts: [], unreadable: 1 });
	});

	it('reads a dictionary entry that is not text as a missing one', () => {
		expect(decodeContacts(stored(['F', 5], full([[1, 'x', 0]], [])))).toEqual({ contacts: [], unreadable: 1 });
		expect(decodeContacts(stored([5, 'email'], full([[1, 'x', 0]], [])))).toEqual({ contacts: [], unreadable: 1 });
	});
});
