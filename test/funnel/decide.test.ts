import fc from 'fast-check';

import { NOTHING_LOADED, contactsToForget, decide, keepBounds, preview, codePointOrder, seenEarlier, type Decision } from '../../nodes/PerspectiveFunnel/funnel/decide';
import { parseRequestBody } from '../../nodes/PerspectiveFunnel/funnel/parse';
import type { Contact, ContactEvent, FunnelEventName, TriggerSettings } from '../../nodes/PerspectiveFunnel/funnel/types';
import { T0, funnelCompletedBody, iso, minutes, newLeadBody, responseSession } from '../fixtures/perspective';

const DAY = 86_400_000;
const NOW = minutes(60);
const settings = (events: FunnelEventName[] = ['new_lead', 'funnel_completed'], extra: Partial<TriggerSettings> = {}): TriggerSettings => ({
	events: new Set(events),
	funnelNames: new Set(),
	retentionDays: 30,
	maxContacts: 10_000,
	...extra,
});

function parsed(body: unknown): ContactEvent[] {
	const result = parseRequestBody(body, NOW);
	if (!result.ok) throw new Error(result.problem.message);
	return result.events;
}

const summary = (outcome: Pick<Decision, 'emissions'>) => outcome.emissions.map((emission) => `${emission.contact.id}:${emission.event}`);

/**
 * A memory in a Map, as both real memories keep it: the request's contacts loaded, the decision
 * committed (writes, deletes, then the bounds).
 */
function decideAndCommit(contacts: Map<string, Contact>, events: ContactEvent[], settings: TriggerSettings, now: number): Decision {
	const decision = decide({ contacts, unreadable: 0 }, events, settings, now);
	if (decision.refusal) return decision;
	for (const contact of decision.write) contacts.set(contact.id, contact);
	for (const id of decision.forget) contacts.delete(id);
	return decision;
}

const prune = (contacts: Map<string, Contact>, settings: TriggerSettings, now: number) => {
	const dropped = contactsToForget(contacts.values(), keepBounds(settings, now));
	for (const id of dropped) contacts.delete(id);
	return dropped;
};
const previewBatch = (events: ContactEvent[], settings: TriggerSettings) => preview(events, settings, NOW).emissions;

describe('decide', () => {
	it('emits one new_lead and one funnel_completed for a whole session, each with the contact at its cause', () => {
		const contacts = new Map<string, Contact>();
		const outcome = decideAndCommit(contacts, parsed(responseSession('c_1')), settings(), NOW);
		expect(summary(outcome)).toEqual(['c_1:new_lead', 'c_1:funnel_completed']);
		const [lead, completed] = outcome.emissions;
		expect(lead.contact.fields.map((field) => field.path)).toEqual(['roofType', 'cookies', 'monthlyBill', 'address.city', 'firstName', 'email']);
		expect(completed.contact.fields.map((field) => field.path)).toContain('result');
		expect(lead.contact.completedAt).toBeNull();
	});

	it('emits only the selected events', () => {
		const leadsOnly = decideAndCommit(new Map(), parsed(responseSession('c_1')), settings(['new_lead']), NOW);
		expect(summary(leadsOnly)).toEqual(['c_1:new_lead']);
		const completionsOnly = decideAndCommit(new Map(), parsed(responseSession('c_1')), settings(['funnel_completed']), NOW);
		expect(summary(completionsOnly)).toEqual(['c_1:funnel_completed']);
	});

	it("takes a webhook body's contact as created no later than its visit, when meta.createdAt is later than meta.lastSeenAt", () => {
		const body = newLeadBody({ at: minutes(3) });
		const createdLater = { ...body, meta: { ...body.meta, createdAt: iso(minutes(10)) } };
		const [lead] = decideAndCommit(new Map(), parsed(createdLater), settings(), NOW).emissions;
		expect(lead.contact).toMatchObject({ createdAt: minutes(3), lastSeenAt: minutes(3) });
		const [sample] = previewBatch(parsed(createdLater), settings());
		expect(sample.contact).toMatchObject({ createdAt: minutes(3), lastSeenAt: minutes(3) });
		// an earlier meta.createdAt is taken as it is
		expect(decideAndCommit(new Map(), parsed(body), settings(), NOW).emissions[0].contact.createdAt).toBe(minutes(0));
	});

	it('emits nothing for a replay of the same snapshots, in any order', () => {
		const contacts = new Map<string, Contact>();
		const first = decideAndCommit(contacts, parsed([newLeadBody(), funnelCompletedBody()]), settings(), NOW);
		expect(summary(first)).toEqual(['6385f2c1a7e0b1d2c3f4a5b6:new_lead', '6385f2c1a7e0b1d2c3f4a5b6:funnel_completed']);
		for (let round = 0; round < 3; round++) {
			expect(summary(decideAndCommit(contacts, parsed([funnelCompletedBody(), newLeadBody()]), settings(), NOW))).toEqual([]);
		}
	});

	it('keeps event order across contacts in one request', () => {
		const body = [...responseSession('c_1').slice(0, 3), ...responseSession('c_2'), responseSession('c_1')[3]];
		expect(summary(decideAndCommit(new Map(), parsed(body), settings(), NOW))).toEqual(['c_1:new_lead', 'c_2:new_lead', 'c_2:funnel_completed', 'c_1:funnel_completed']);
	});

	it('emits a snapshot that carries both flags as new_lead then funnel_completed', () => {
		expect(summary(decideAndCommit(new Map(), parsed(funnelCompletedBody({ id: 'c_9' })), settings(), NOW))).toEqual(['c_9:new_lead', 'c_9:funnel_completed']);
	});

	it('compacts a contact that can reach nothing more, and keeps it under 200 bytes', () => {
		const contacts = new Map<string, Contact>();
		decideAndCommit(contacts, parsed(funnelCompletedBody({ id: 'c_9' })), settings(), NOW);
		const stored = contacts.get('c_9')!;
		expect(stored.fields.size).toBe(0);
		expect(stored.funnelName).toBe('');
		expect(stored.convertedAt).not.toBeNull();
	});

	it('skips events older than the retention horizon for contacts it does not hold, and counts them', () => {
		const contacts = new Map<string, Contact>();
		const old = { type: 'response', contactId: 'c_old', funnelName: 'F', timestamp: new Date(NOW - 31 * DAY).toISOString(), answers: [{ id: 'email', value: 'a@b.c' }] };
		const outcome = decideAndCommit(contacts, parsed(old), settings(), NOW);
		expect(outcome).toMatchObject({ expired: 1, emissions: [] });
		expect(contacts.size).toBe(0);
	});

	it("takes an unknown contact's event dated exactly Retention (Days) ago, and counts one a millisecond older as expired", () => {
		const lead = (contactId: string, at: number) =>
			parsed({ type: 'response', contactId, funnelName: 'F', timestamp: at, answers: [{ id: 'email', value: 'a@b.c' }] });
		const edge = NOW - 30 * DAY;
		const contacts = new Map<string, Contact>();
		expect(decideAndCommit(contacts, lead('c_edge', edge), settings(), NOW)).toMatchObject({ expired: 0, emissions: [{ event: 'new_lead' }] });
		expect(decideAndCommit(contacts, lead('c_older', edge - 1), settings(), NOW)).toMatchObject({ expired: 1, emissions: [] });
		expect([...contacts.keys()]).toEqual(['c_edge']);
	});

	it('still applies an old event to a contact it holds (a late answer of a known visitor)', () => {
		const contacts = new Map<string, Contact>();
		decideAndCommit(contacts, parsed({ type: 'response', contactId: 'c', funnelName: 'F', timestamp: new Date(NOW - 29 * DAY).toISOString() }), settings(), NOW);
		const late = { type: 'response', contactId: 'c', funnelName: 'F', timestamp: new Date(NOW - 31 * DAY).toISOString(), answers: [{ id: 'email', value: 'a@b.c' }] };
		expect(summary(decideAndCommit(contacts, parsed(late), settings(), NOW))).toEqual(['c:new_lead']);
	});
});

/** A contact with answers, last seen (and created) at `lastSeenAt`. */
const contactSeenAt = (id: string, lastSeenAt = NOW - DAY): Contact => ({
	id,
	funnelName: 'F',
	createdAt: lastSeenAt,
	lastSeenAt,
	convertedAt: null,
	completedAt: null,
	globalId: null,
	fields: new Map(),
	results: new Map(),
	hasResponses: true,
});

describe('contactsToForget', () => {
	it('drops contacts not seen within the retention days', () => {
		const contacts = new Map([
			['fresh', contactSeenAt('fresh', NOW - 29 * DAY)],
			['stale', contactSeenAt('stale', NOW - 31 * DAY)],
		]);
		expect(prune(contacts, settings([], { retentionDays: 30 }), NOW)).toEqual(['stale']);
		expect([...contacts.keys()]).toEqual(['fresh']);
	});

	it.each([1, 3, 40])('drops the least recently seen first past maxContacts (%i over)', (over) => {
		const contacts = new Map<string, Contact>();
		const ids = Array.from({ length: 50 + over }, (_, index) => `c${index}`);
		// inserted in shuffled order, so that insertion order cannot stand in for recency
		for (const index of [...ids.keys()].sort((x, y) => ((x * 37) % 53) - ((y * 37) % 53))) {
			contacts.set(ids[index], contactSeenAt(ids[index], T0 + index * 1000));
		}
		const dropped = prune(contacts, settings([], { maxContacts: 50 }), T0 + 60_000);
		expect(dropped.sort()).toEqual(ids.slice(0, over).sort());
		expect(contacts.size).toBe(50);
	});

	it.each([1, 20])('between contacts last seen at the same time, forgets the smaller contact ID first, whatever the order they are held in (%i over)', (over) => {
		const ids = Array.from({ length: 20 + over }, (_, index) => `c${String(index).padStart(2, '0')}`);
		for (const order of [ids, [...ids].reverse()]) {
			const contacts = new Map(order.map((id) => [id, contactSeenAt(id, NOW - DAY)]));
			expect(prune(contacts, settings([], { maxContacts: 20 }), NOW).sort()).toEqual(ids.slice(0, over));
		}
	});
});

describe('seenEarlier: between equal times, contact IDs in code point order, as Redis orders its sorted set (by UTF-8 bytes)', () => {
	/** U+FF61 is one code unit, 0xFF61; U+1F600 is two, 0xD83D 0xDE00: UTF-16 orders them the other way round. */
	const [bmp, astral] = ['\uff61', '\u{1f600}'];

	it('sorts U+FF61 before U+1F600, as their code points (and UTF-8 bytes) do', () => {
		const sorted = [contactSeenAt(astral), contactSeenAt(bmp)].sort(seenEarlier).map((contact) => contact.id);
		expect(sorted).toEqual([bmp, astral]);
		expect(Buffer.compare(Buffer.from(bmp), Buffer.from(astral))).toBeLessThan(0);
	});

	it.each([1, 20])('past Max Contacts forgets U+FF61 before U+1F600 when both were last seen at once (%i over)', (over) => {
		// `over` contacts past the bound: the scan (a few) and the sort (many) both decide by the ID
		const others = Array.from({ length: over - 1 }, (_, index) => `\u{1f601}${String(index).padStart(2, '0')}`);
		for (const order of [
			[bmp, astral, ...others],
			[...others, astral, bmp],
		]) {
			const contacts = new Map(order.map((id) => [id, contactSeenAt(id)]));
			const dropped = prune(contacts, settings([], { maxContacts: 1 }), NOW);
			expect(dropped).toContain(bmp);
			expect([...contacts.keys()]).toEqual([over === 1 ? astral : `\u{1f601}${String(over - 2).padStart(2, '0')}`]);
		}
	});

	it.each<[string, string]>([
		['\ue000', '\u{10000}'],
		['\uffff', '\u{10ffff}'],
		['a\uff61', 'a\u{1f600}'],
		['\u{1f600}', '\u{1f600}a'],
		['\ud7ff', '\ue000'],
		['c1', 'c2'],
	])('sorts %p before %p', (first, second) => {
		expect([contactSeenAt(second), contactSeenAt(first)].sort(seenEarlier).map((contact) => contact.id)).toEqual([first, second]);
		expect([contactSeenAt(first), contactSeenAt(second)].sort(seenEarlier).map((contact) => contact.id)).toEqual([first, second]);
	});

	it('orders any two texts of whole code points as their UTF-8 bytes compare', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (x, y) => {
				expect(Math.sign(codePointOrder(x, y))).toBe(Buffer.compare(Buffer.from(x), Buffer.from(y)));
			}),
			{ numRuns: 2_000 },
		);
	});
});

describe('preview (the editor\'s test URL)', () => {
	it('emits each selected event a contact ends with, once, with its final state', () => {
		const emissions = previewBatch(parsed(responseSession('c_1')), settings());
		expect(emissions.map((emission) => emission.event)).toEqual(['new_lead', 'funnel_completed']);
		expect(emissions[0].contact).toEqual(emissions[1].contact);
		expect(emissions[0].contact.fields.map((field) => field.path)).toContain('result');
	});

	it('emits a single converted snapshot, so one sample is enough to map fields', () => {
		expect(previewBatch(parsed(newLeadBody()), settings(['new_lead'])).map((emission) => emission.event)).toEqual(['new_lead']);
	});

	it('emits only Funnel Completed for a converted contact when only Funnel Completed is selected', () => {
		expect(previewBatch(parsed(funnelCompletedBody()), settings(['funnel_completed'])).map((emission) => emission.event)).toEqual(['funnel_completed']);
	});

	it('emits nothing for a visitor who has neither converted nor completed, with both events selected', () => {
		const [firstPage] = parsed(responseSession('c_1'));
		expect(previewBatch([firstPage], settings())).toEqual([]);
	});

	it('emits nothing for a contact that has reached no selected event', () => {
		expect(previewBatch(parsed(newLeadBody()), settings(['funnel_completed']))).toEqual([]);
	});

	it('emits only New Lead for a contact that converted and completed when only New Lead is selected', () => {
		expect(previewBatch(parsed(funnelCompletedBody()), settings(['new_lead'])).map((emission) => emission.event)).toEqual(['new_lead']);
		expect(previewBatch(parsed(responseSession('c_1')), settings(['new_lead'])).map((emission) => emission.event)).toEqual(['new_lead']);
	});

	it('skips the events of funnels not in Funnel Names, and counts them', () => {
		const selected = settings(['new_lead'], { funnelNames: new Set(['solar check']) });
		const other = { type: 'response', contactId: 'o', funnelName: 'Roof quiz', timestamp: NOW - 1, answers: [{ id: 'email', value: 'o@x.y' }] };
		const mine = { type: 'response', contactId: 'm', funnelName: ' SOLAR check ', timestamp: NOW - 1, answers: [{ id: 'email', value: 'm@x.y' }] };
		const decision = preview(parsed([other, mine, other]), selected, NOW);
		expect(summary(decision)).toEqual(['m:new_lead']);
		expect(decision).toMatchObject({ ignored: 2, refusal: null });
	});

	/** Two response events of one contact, each within the bounds on one contact, together past one. */
	const answersOf = (count: number, from: number, length: number) =>
		Array.from({ length: count }, (_, index) => ({ id: `q${from + index}`, value: 'v'.repeat(length) }));
	it.each<[string, ReturnType<typeof answersOf>, ReturnType<typeof answersOf>, string]>([
		['200 fields and 101 more', answersOf(200, 0, 1), answersOf(101, 200, 1), 'more than 300 fields for one contact'],
		['60,000 characters and 60,000 more', answersOf(6, 0, 9_990), answersOf(6, 6, 9_990), "one contact's stored answers would exceed 100000 characters"],
	])('refuses, as production does, events of one contact within the bounds each but not together: %s', (_name, first, second, message) => {
		const event = (answers: unknown[]) => ({ type: 'response', contactId: 'c_big', funnelName: 'F', timestamp: NOW - 1, answers });
		const events = parsed([event(first), event(second)]);
		for (const alone of [[events[0]], [events[1]]]) expect(preview(alone, settings(), NOW).refusal).toBeNull();
		const refusal = { kind: 'tooLarge', index: 1, field: '', message };
		expect(decide(NOTHING_LOADED, events, settings(), NOW)).toMatchObject({ emissions: [], refusal });
		expect(preview(events, settings(), NOW)).toMatchObject({ emissions: [], refusal });
	});
});

describe('the decision a memory commits', () => {
	it('never changes the contacts it was given: what to store comes out as copies', () => {
		const held = new Map<string, Contact>();
		decideAndCommit(held, parsed(responseSession('c_1').slice(0, 2)), settings(), NOW);
		const before = held.get('c_1')!;
		const { lastSeenAt, fields } = before;
		const decision = decide({ contacts: held, unreadable: 0 }, parsed(responseSession('c_1').slice(2)), settings(), NOW);
		expect([...held.values()]).toEqual([before]);
		expect(before).toMatchObject({ lastSeenAt, convertedAt: null, completedAt: null });
		expect(before.fields).toBe(fields);
		expect([...fields.keys()]).toEqual(['roofType', 'cookies', 'monthlyBill', 'address.city']);
		expect(decision.write.map((contact) => contact.id)).toEqual(['c_1']);
		expect(decision.write[0]).not.toBe(held.get('c_1'));
	});

	it('states the bounds the memory keeps to: the retention horizon and Max Contacts', () => {
		const decision = decide(NOTHING_LOADED, [], settings(['new_lead'], { retentionDays: 2, maxContacts: 7 }), NOW);
		expect(decision.keep).toEqual({ horizon: NOW - 2 * DAY, retentionMs: 2 * DAY, maxContacts: 7, events: new Set(['new_lead']) });
		expect(decision).toMatchObject({ emissions: [], write: [], forget: [], ignored: 0, expired: 0, unreadable: 0, refusal: null });
	});

	it('passes on how many loaded records could not be read', () => {
		expect(decide({ contacts: new Map(), unreadable: 3 }, [], settings(), NOW).unreadable).toBe(3);
	});

	it('asks to forget a held contact that the request changed but that is still past Retention', () => {
		const held = new Map<string, Contact>();
		decideAndCommit(held, parsed({ type: 'response', contactId: 'c', funnelName: 'F', timestamp: NOW - 29 * DAY }), settings(), NOW - 20 * DAY);
		const late = parsed({ type: 'response', contactId: 'c', funnelName: 'F', timestamp: NOW - 35 * DAY });
		expect(decide({ contacts: held, unreadable: 0 }, late, settings(), NOW + 2 * DAY)).toMatchObject({ write: [], forget: ['c'] });
	});

	it('skips events of funnels not selected, counts them, and names a refused event by its place in the whole request', () => {
		const selected = settings(['new_lead'], { funnelNames: new Set(['solar check']) });
		const other = { type: 'response', contactId: 'o', funnelName: 'Roof quiz', timestamp: NOW - 1, answers: [{ id: 'email', value: 'o@x.y' }] };
		const mine = { type: 'response', contactId: 'm', funnelName: ' SOLAR check ', timestamp: NOW - 1, answers: [{ id: 'email', value: 'm@x.y' }] };
		expect(summary(decide(NOTHING_LOADED, parsed([other, mine]), selected, NOW))).toEqual(['m:new_lead']);
		expect(decide(NOTHING_LOADED, parsed([other, mine, other]), selected, NOW)).toMatchObject({ ignored: 2 });
		const clash = [other, { ...mine, answers: [{ id: 'a.b', value: 'x' }] }, { ...mine, answers: [{ id: 'a', value: 'y' }] }];
		expect(decide(NOTHING_LOADED, parsed(clash), selected, NOW)).toMatchObject({ emissions: [], write: [], refusal: { kind: 'malformed', index: 2, field: 'a.b' } });
		expect(preview(parsed(clash), selected, NOW)).toMatchObject({ emissions: [], refusal: { kind: 'malformed', index: 2, field: 'a.b' } });
	});
});
