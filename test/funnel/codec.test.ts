import { decodeContact, decodeContacts, encodeContact, joinEncoded } from '../../nodes/PerspectiveFunnel/funnel/codec';
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

describe('stored form of contacts', () => {
	it.each([
		['a response session', responseSession('c_1')],
		['a Perspective snapshot', newLeadBody()],
		['a snapshot with custom titles and a result', funnelCompletedBody()],
	])('round-trips %s exactly', (_name, body) => {
		const contact = contactFrom(body);
		const decoded = decodeContact(JSON.parse(encodeContact(contact)))!;
		expect(decoded).toEqual(contact);
		expect(viewOf(decoded)).toEqual(viewOf(contact));
	});

	it('stores a standard title only by its absence', () => {
		const encoded = encodeContact(contactFrom(newLeadBody()));
		expect(encoded).not.toContain('"First name"');
		expect(encoded).toContain('"Which roof do you have?"');
	});

	it('keeps a contact that can emit nothing more well under 200 bytes, even as n8n escapes it', () => {
		const settled = compact(contactFrom(funnelCompletedBody()), new Set(['new_lead', 'funnel_completed']));
		const encoded = encodeContact(settled);
		const asN8nStoresIt = JSON.stringify(encoded);
		expect(asN8nStoresIt.length).toBeLessThan(100);
		expect(decodeContact(JSON.parse(encoded))).toEqual(settled);
	});

	it('reads a whole stored string and counts what it cannot read instead of failing', () => {
		const good = encodeContact(contactFrom(newLeadBody()));
		const stored = joinEncoded([good, '["broken"]', '42', good.replace(/^\["/, '["other')]);
		const { contacts, unreadable } = decodeContacts(stored);
		expect(contacts.map((contact) => contact.id)).toEqual(['6385f2c1a7e0b1d2c3f4a5b6', 'other6385f2c1a7e0b1d2c3f4a5b6']);
		expect(unreadable).toBe(2);
		expect(decodeContacts('{not json')).toEqual({ contacts: [], unreadable: 1 });
	});
});
