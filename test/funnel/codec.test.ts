import { Dictionary, decodeContacts, encodeContact, joinEncoded } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { applyEvent, compact, viewOf } from '../../nodes/PerspectiveFunnel/funnel/contact';
import { parseRequestBody } from '../../nodes/PerspectiveFunnel/funnel/parse';
import type { Contact } from '../../nodes/PerspectiveFunnel/funnel/types';
import { funnelCompletedBody, minutes, newLeadBody, responseSession } from '../fixtures/perspective';

function contactFrom(body: unknown): Contact {
	const parsed = parseRequestBody(body, minutes(60));
	if (!parsed.ok) throw new Error(parsed.problem.message);
	let contact: Contact | undefined;
	for (const event of parsed.events) contact = applyEvent(contact, event).contact;
	return contact!;
}

/** Encodes contacts with one dictionary, as the store does, and reads them back. */
function roundTrip(contacts: Contact[]) {
	const dictionary = new Dictionary();
	const stored = joinEncoded(dictionary, contacts.map((contact) => encodeContact(contact, dictionary)));
	return { stored, decoded: decodeContacts(stored) };
}

describe('stored form of contacts', () => {
	it.each([
		['a response session', responseSession('c_1')],
		['a Perspective snapshot', newLeadBody()],
		['a snapshot with custom titles and a result', funnelCompletedBody()],
	])('round-trips %s exactly', (_name, body) => {
		const contact = contactFrom(body);
		const { decoded } = roundTrip([contact]);
		expect(decoded).toEqual({ contacts: [contact], unreadable: 0 });
		expect(viewOf(decoded.contacts[0])).toEqual(viewOf(contact));
	});

	it('stores a repeated funnel name, identifier or title once, and a standard title not at all', () => {
		const contacts = ['c_1', 'c_2', 'c_3'].map((id) => contactFrom(newLeadBody({ id })));
		const { stored, decoded } = roundTrip(contacts);
		expect(decoded.contacts).toEqual(contacts);
		expect(stored.match(/Which roof do you have\?/g)).toHaveLength(1);
		expect(stored.match(/Solar check/g)).toHaveLength(1);
		expect(stored).not.toContain('First name');
		expect(stored.match(/ada@example\.com/g)).toHaveLength(3);
	});

	it('keeps a contact that can emit nothing more well under 200 bytes, even as n8n escapes it', () => {
		const settled = compact(contactFrom(funnelCompletedBody()), new Set(['new_lead', 'funnel_completed']));
		const dictionary = new Dictionary();
		const encoded = encodeContact(settled, dictionary);
		expect(JSON.stringify(encoded).length).toBeLessThan(100);
		expect(dictionary.size).toBe(0);
		expect(roundTrip([settled]).decoded.contacts).toEqual([settled]);
	});

	it('reads a whole stored string and counts what it cannot read instead of failing', () => {
		const dictionary = new Dictionary();
		const good = encodeContact(contactFrom(newLeadBody()), dictionary);
		const dangling = good.replace(/^\["6385/, '["other').replace(/\[\[\d+,/, '[[999,');
		const stored = joinEncoded(dictionary, [good, '["broken"]', '42', good.replace(/^\["/, '["other'), dangling]);
		const { contacts, unreadable } = decodeContacts(stored);
		expect(contacts.map((contact) => contact.id)).toEqual(['6385f2c1a7e0b1d2c3f4a5b6', 'other6385f2c1a7e0b1d2c3f4a5b6']);
		expect(unreadable).toBe(3);
		expect(decodeContacts('{not json')).toEqual({ contacts: [], unreadable: 1 });
		expect(decodeContacts('[1,2]')).toEqual({ contacts: [], unreadable: 1 });
	});
});
