import { Dictionary, decodeContacts, encodeContact, joinEncoded } from '../../nodes/PerspectiveFunnel/funnel/codec';
import fc from 'fast-check';

import { applyEvent, compact, emptyContact, remembered, viewOf } from '../../nodes/PerspectiveFunnel/funnel/contact';
import { EARLIEST_TIME } from '../../nodes/PerspectiveFunnel/funnel/fields';
import { parseRequestBody } from '../../nodes/PerspectiveFunnel/funnel/parse';
import type { Contact } from '../../nodes/PerspectiveFunnel/funnel/types';
import { funnelCompletedBody, minutes, newLeadBody, responseSession } from '../fixtures/perspective';
import { PERSPECTIVE_IDS, unconvertedCompletedBody, type StoredFormFixture } from '../fixtures/storedForm';
import stored010 from '../fixtures/storedForm-0.1.0.json';

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
		['a response session cut short (answers before the email)', responseSession('c_1').slice(0, 2)],
	])('round-trips %s exactly', (_name, body) => {
		const contact = contactFrom(body);
		const { decoded } = roundTrip([contact]);
		expect(decoded).toEqual({ contacts: [contact], unreadable: 0 });
		expect(viewOf(decoded.contacts[0])).toEqual(viewOf(contact));
	});

	it.each([
		['a New Lead body', newLeadBody()],
		['a Funnel Completed body', funnelCompletedBody()],
		['a Funnel Completed body without conversion', unconvertedCompletedBody('6385f2c1a7e0b1d2c3f4a5b6')],
	])('round-trips the contact of %s as kept: its ID, last visit and flags, none of its profile', (_name, body) => {
		const kept = remembered(contactFrom(body));
		const { stored, decoded } = roundTrip([kept]);
		expect(decoded).toEqual({ contacts: [kept], unreadable: 0 });
		expect(stored).not.toMatch(/Ada|Berlin|example\.com|Solar check|g_8f2d1c/);
	});

	it('stores a repeated funnel name, identifier or title once, and a standard title not at all', () => {
		const contacts = ['c_1', 'c_2', 'c_3'].map((id) => contactFrom(responseSession(id).slice(0, 3)));
		const { stored, decoded } = roundTrip(contacts);
		expect(decoded.contacts).toEqual(contacts);
		expect(stored.match(/Which roof\?/g)).toHaveLength(1);
		expect(stored.match(/Solar check/g)).toHaveLength(1);
		expect(stored).not.toContain('First name');
		expect(stored.match(/ada@example\.com/g)).toHaveLength(3);
	});

	it('keeps a contact of response events that can emit nothing more well under 100 bytes, even as n8n escapes it', () => {
		const settled = compact(contactFrom(responseSession('c_1')), new Set(['new_lead', 'funnel_completed']));
		const dictionary = new Dictionary();
		const encoded = encodeContact(settled, dictionary);
		expect(JSON.stringify(encoded).length).toBeLessThan(100);
		expect(dictionary.size).toBe(0);
		expect(roundTrip([settled]).decoded.contacts).toEqual([settled]);
	});

	it('reads a whole stored string and counts what it cannot read instead of failing', () => {
		const dictionary = new Dictionary();
		const good = encodeContact(contactFrom(responseSession('c_1')), dictionary);
		const dangling = good.replace(/^\["c_1/, '["other').replace(/\[\[\d+,/, '[[999,');
		const stored = joinEncoded(dictionary, [good, '["broken"]', '42', good.replace(/^\["/, '["other'), dangling]);
		const { contacts, unreadable } = decodeContacts(stored);
		expect(contacts.map((contact) => contact.id)).toEqual(['c_1', 'otherc_1']);
		expect(unreadable).toBe(3);
		expect(decodeContacts('{not json')).toEqual({ contacts: [], unreadable: 1 });
		expect(decodeContacts('[1,2]')).toEqual({ contacts: [], unreadable: 1 });
	});
});

/** The bytes one more contact adds to the static data n8n writes: JSON of an object whose `contacts` is the stored string. */
function bytesAsN8nWrites(contact: Contact): number {
	const staticData = (contacts: Contact[]) => {
		const dictionary = new Dictionary();
		const stored = joinEncoded(dictionary, contacts.map((one) => encodeContact(one, dictionary)));
		return Buffer.byteLength(JSON.stringify({ format: 1, revision: 'abcdefgh.1', contacts: stored }));
	};
	const other = remembered({ ...emptyContact('6385f2c1a7e0b1d2c3f4a5b6'), lastSeenAt: minutes(0) });
	return staticData([other, contact]) - staticData([other]);
}

describe('what a contact known from webhook bodies alone takes in static data', () => {
	it('26 bytes with a 24-character Perspective ID, whatever its times and flags', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[0-9a-f]{24}$/),
				fc.integer({ min: EARLIEST_TIME, max: Date.UTC(2286, 0, 1) }),
				fc.boolean(),
				fc.boolean(),
				(id, lastSeenAt, converted, completed) => {
					const contact = remembered({
						...emptyContact(id),
						createdAt: EARLIEST_TIME,
						lastSeenAt,
						convertedAt: converted ? EARLIEST_TIME : null,
						completedAt: completed ? lastSeenAt : null,
					});
					expect(bytesAsN8nWrites(contact)).toBe(26);
					expect(decodeContacts(joinEncoded(new Dictionary(), [encodeContact(contact, new Dictionary())])).contacts).toEqual([contact]);
				},
			),
			{ seed: 21, numRuns: 300 },
		);
	});

	it.each([
		['another kind of ID as a record of its own', 'c_1', '[[],["c_1",1795773600000,1]]'],
		['a hexadecimal ID in capitals as a record of its own', '6385F2C1A7E0B1D2C3F4A5B6', '[[],["6385F2C1A7E0B1D2C3F4A5B6",1795773600000,1]]'],
		['a hexadecimal ID of another length as a record of its own', '6385f2c1a7e0b1d2c3f4a5', '[[],["6385f2c1a7e0b1d2c3f4a5",1795773600000,1]]'],
		['a hexadecimal ID one character longer as a record of its own', '6385f2c1a7e0b1d2c3f4a5b67', '[[],["6385f2c1a7e0b1d2c3f4a5b67",1795773600000,1]]'],
		['a Perspective ID with a character before it as a record of its own', 'x6385f2c1a7e0b1d2c3f4a5b6', '[[],["x6385f2c1a7e0b1d2c3f4a5b6",1795773600000,1]]'],
		['a Perspective ID with a character after it as a record of its own', '6385f2c1a7e0b1d2c3f4a5b6x', '[[],["6385f2c1a7e0b1d2c3f4a5b6x",1795773600000,1]]'],
		['a Perspective ID in the block, in 26 characters', '000000000000000000000000', '[[],"AAAAAAAAAAAAAAAA0mwyt8hs01"]'],
	])('stores %s, and reads it back', (_name, id, stored) => {
		const contact = remembered({ ...emptyContact(id), lastSeenAt: minutes(0), convertedAt: minutes(0) });
		expect(joinEncoded(new Dictionary(), [encodeContact(contact, new Dictionary())])).toBe(stored);
		expect(decodeContacts(stored).contacts).toEqual([contact]);
	});

	it.each([
		['a last visit before 1970 as a record of its own', -1, '[[],["000000000000000000000000",-1,0]]'],
		['a last visit at 1970 itself in the block', 0, '[[],"AAAAAAAAAAAAAAAA0000000000"]'],
		['the latest last visit the block can hold in the block', 36 ** 9 - 1, '[[],"AAAAAAAAAAAAAAAAzzzzzzzzz0"]'],
		['a last visit past what the block can hold (the year 5188) as a record of its own', 36 ** 9, '[[],["000000000000000000000000",101559956668416,0]]'],
	])('stores %s, and reads it back', (_name, lastSeenAt, stored) => {
		const contact = remembered({ ...emptyContact('000000000000000000000000'), lastSeenAt });
		expect(joinEncoded(new Dictionary(), [encodeContact(contact, new Dictionary())])).toBe(stored);
		expect(decodeContacts(stored)).toEqual({ contacts: [contact], unreadable: 0 });
	});

	it('keeps the block in the order given, beside the records, sharing the dictionary', () => {
		const ids = ['6385f2c1a7e0b1d2c3f4a5b2', 'c_1', '6385f2c1a7e0b1d2c3f4a5b1'];
		const contacts = [...ids.map((id, index) => remembered({ ...emptyContact(id), lastSeenAt: minutes(index), completedAt: minutes(index) })), contactFrom(responseSession('r_1'))];
		const { stored, decoded } = roundTrip(contacts);
		expect(stored.startsWith('[["roofType"')).toBe(true);
		expect(decoded.contacts.map((contact) => contact.id)).toEqual(['6385f2c1a7e0b1d2c3f4a5b2', '6385f2c1a7e0b1d2c3f4a5b1', 'c_1', 'r_1']);
		expect(decoded.contacts.slice().sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(contacts.slice().sort((a, b) => (a.id < b.id ? -1 : 1)));
	});

	it('counts a remembered record or a block entry that cannot be read as unreadable, each once', () => {
		const entry = 'AAAAAAAAAAAAAAAA0mwyt8hs01';
		for (const [record, unreadable] of [
			['["c_1",1,4]', 1],
			['["c_1",1,-1]', 1],
			['["c_1",1,1.5]', 1],
			['["c_1","1",1]', 1],
			['[1,1,1]', 1],
			['"AAAAAAAAAAAAAAA+0mwyt8hs01"', 1],
			['"AAAAAAAAAAAAAAAA0mwyt8hs04"', 1],
			['"AAAAAAAAAAAAAAAA0mwyT8hs01"', 1],
			[`"${entry}${entry.slice(0, 25)}"`, 1],
			[`"${entry}AAAAAAAAAAAAAAAA0mwyt8hs0x${entry}"`, 1],
		] as const) {
			const read = decodeContacts(`[[],${record}]`);
			expect({ record, unreadable: read.unreadable }).toEqual({ record, unreadable });
			expect(read.contacts.every((contact) => contact.id === '000000000000000000000000')).toBe(true);
		}
	});

	it('a New Lead body: 26 bytes kept, where 0.1.0 kept 215 and strings in the dictionary', () => {
		const body = newLeadBody();
		expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(600);
		expect(bytesAsN8nWrites(remembered(contactFrom(body)))).toBe(26);
		const kept010 = stored010 as StoredFormFixture;
		const contacts = kept010.staticData['node:Perspective Funnel Trigger'].contacts as string;
		const record = JSON.parse(contacts).find((one: unknown[]) => one[0] === PERSPECTIVE_IDS.lead);
		expect(Buffer.byteLength(JSON.stringify(JSON.stringify(record))) - 2 + 1).toBe(215);
	});
});
