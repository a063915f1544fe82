/**
 * What the memory keeps of a contact (contact.ts `keptOf`): of a contact known only from
 * Perspective's webhook bodies, its ID, last visit and whether it converted and completed; of one
 * that had response events, their answers until nothing more can be emitted. Items do not change
 * for a sender of only Perspective's bodies or only response events; a contact told by both
 * follows the rule below, in every memory alike.
 */
import fc from 'fast-check';

import { Dictionary, decodeContacts, encodeContact, joinEncoded } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { contactIdsOf, decide, preview, type Decision } from '../../nodes/PerspectiveFunnel/funnel/decide';
import type { Contact, ContactEvent, FunnelEventName, TriggerSettings } from '../../nodes/PerspectiveFunnel/funnel/types';
import { ContactStore } from '../../nodes/PerspectiveFunnel/trigger/contactStore';
import { deliveries, keepEverything, parsedEvents, perspectiveBodies, responseEvents } from '../fixtures/journeys';
import { T0, funnelCompletedBody, iso, minutes, newLeadBody } from '../fixtures/perspective';
import { unconvertedCompletedBody } from '../fixtures/storedForm';

const NOW = minutes(120);
const BOTH: FunnelEventName[] = ['new_lead', 'funnel_completed'];
const settingsOf = (events: FunnelEventName[] = BOTH): TriggerSettings => ({ events: new Set(events), funnelNames: new Set(), retentionDays: 30, maxContacts: 10_000 });

/** A memory as Redis keeps it: each request's contacts read back from their stored form, the decision's writes stored. */
function storedMemory() {
	const stored = new Map<string, string>();
	return (events: ContactEvent[], settings: TriggerSettings): Decision => {
		const contacts = new Map<string, Contact>();
		for (const id of contactIdsOf(events, settings)) {
			const value = stored.get(id);
			if (value !== undefined) contacts.set(id, decodeContacts(value).contacts[0]);
		}
		const decision = decide({ contacts, unreadable: 0 }, events, settings, NOW);
		for (const contact of decision.write) {
			const dictionary = new Dictionary();
			stored.set(contact.id, joinEncoded(dictionary, [encodeContact(contact, dictionary)]));
		}
		return decision;
	};
}

/** The static-data memory's store, one process. */
function storeMemory() {
	const store = new ContactStore('kept');
	const staticData: Record<string, unknown> = {};
	return (events: ContactEvent[], settings: TriggerSettings): Decision =>
		store.transact(staticData, contactIdsOf(events, settings), (loaded) => decide(loaded, events, settings, NOW), NOW);
}

const eventsOf = (requests: unknown[][]) => requests.map((request) => request.flatMap((body) => parsedEvents(body, NOW)));

describe('items do not change for a sender of one kind of event', () => {
	const cases: Array<[string, Parameters<typeof deliveries>[0]]> = [
		["Perspective's webhook bodies, replayed, in any order", (journey) => perspectiveBodies(journey, T0)],
		['response events, replayed, in any order', (journey) => responseEvents(journey, T0)],
	];
	it.each(cases)('%s: the items of a memory that kept everything, in both memories', (_name, bodiesOf) => {
		fc.assert(
			fc.property(deliveries(bodiesOf), fc.constantFrom<FunnelEventName[]>(BOTH, ['new_lead'], ['funnel_completed']), ({ requests }, events) => {
				const settings = settingsOf(events);
				const perRequest = eventsOf(requests);
				const expected = keepEverything(perRequest.flat(), settings);
				for (const memory of [storedMemory(), storeMemory()]) {
					expect(perRequest.flatMap((request) => memory(request, settings).emissions)).toEqual(expected);
				}
			}),
			{ seed: 21, numRuns: 300 },
		);
	});

	it("keeps none of a webhook body's profile, funnel name or global ID", () => {
		fc.assert(
			fc.property(deliveries((journey) => perspectiveBodies(journey, T0)), ({ requests }) => {
				const memory = storedMemory();
				for (const request of eventsOf(requests)) {
					for (const contact of memory(request, settingsOf()).write) {
						expect(contact).toMatchObject({ fields: new Map(), results: new Map(), globalId: null, funnelName: '', hasResponses: false });
					}
				}
			}),
			{ seed: 21, numRuns: 100 },
		);
	});
});

describe("a contact known from Perspective's bodies alone", () => {
	it.each<[string, unknown[], string[]]>([
		['a lead that has not completed', [newLeadBody()], ['new_lead']],
		['a visitor who completed without converting', [unconvertedCompletedBody('6385f2c1a7e0b1d2c3f4a5b6')], ['funnel_completed']],
		['a lead that completed', [newLeadBody(), funnelCompletedBody()], ['new_lead', 'funnel_completed']],
	])('%s: kept as its ID, last visit and flags; replays emit nothing', (_name, bodies, events) => {
		const memory = storedMemory();
		const emitted = bodies.flatMap((body) => memory(parsedEvents(body, NOW), settingsOf()).emissions.map((emission) => emission.event));
		expect(emitted).toEqual(events);
		for (const body of [...bodies, ...bodies].reverse()) expect(memory(parsedEvents(body, NOW), settingsOf()).emissions).toEqual([]);
	});

	it('first seen at the visit of its body: a late older body in the same request shows its own funnel name and global ID, as across requests', () => {
		const later = newLeadBody({ at: minutes(5), funnelName: 'Solar check v2' });
		const seenOnce = { ...later, meta: { ...later.meta, createdAt: iso(minutes(5)), convertedAt: null, converted: false, globalId: 'g_new' } };
		const events = [...parsedEvents(seenOnce, NOW), ...parsedEvents(newLeadBody(), NOW)];
		const together = storedMemory()(events, settingsOf());
		const apart = storedMemory();
		expect(together.emissions).toEqual(events.flatMap((event) => apart([event], settingsOf()).emissions));
		expect(together.emissions.map((emission) => emission.contact)).toMatchObject([
			{ funnelName: 'Solar check', globalId: 'g_8f2d1c', createdAt: minutes(0), convertedAt: minutes(3), lastSeenAt: minutes(5) },
		]);
	});

	it('the editor\'s test URL still shows the whole body, and keeps nothing', () => {
		const [item] = preview(parsedEvents(newLeadBody(), NOW), settingsOf(['new_lead']), NOW).emissions;
		expect(item.contact.fields.map((field) => field.path)).toEqual(['firstName', 'email', 'address.city', 'address.postalCode', 'q8fk2l1', 'cookies']);
		expect(preview(parsedEvents(newLeadBody(), NOW), settingsOf(), NOW).write).toEqual([]);
	});
});

describe('a contact told by both kinds of event', () => {
	const answer = (minute: number, answers: Array<{ id: string; value: string }>, page?: object) => ({
		type: 'response',
		contactId: '6385f2c1a7e0b1d2c3f4a5b6',
		funnelName: 'Solar check',
		timestamp: iso(minutes(minute)),
		answers,
		...(page ? { page } : {}),
	});
	const fieldsOf = (decision: Decision) => decision.emissions.map((emission) => Object.fromEntries(emission.contact.fields.map((field) => [field.path, field.value])));

	it.each([
		['the stored form', storedMemory],
		['the static-data store', storeMemory],
	])('a body, then response events: their items show the answers of response events, not the body\'s (%s)', (_name, memoryOf) => {
		const memory = memoryOf();
		// Perspective's New Lead body (minute 3), then a funnel script's pages after it
		const lead = memory(parsedEvents(newLeadBody(), NOW), settingsOf());
		expect(fieldsOf(lead)).toEqual([{ firstName: 'Ada', email: 'ada@example.com', 'address.city': 'Berlin', 'address.postalCode': '10115', q8fk2l1: 'Flat;Gable', cookies: 'Google Analytics;Meta Pixel' }]);
		memory(parsedEvents(answer(4, [{ id: 'budget', value: '5000' }]), NOW), settingsOf());
		const completed = memory(parsedEvents(answer(5, [{ id: 'note', value: 'call me' }], { isLast: true }), NOW), settingsOf());
		expect(completed.emissions.map((emission) => emission.event)).toEqual(['funnel_completed']);
		expect(fieldsOf(completed)).toEqual([{ budget: '5000', note: 'call me' }]);
		// the meta the body gave: conversion stands at the body's last visit, the times it did not keep read as that visit
		expect(completed.emissions[0].contact).toMatchObject({ funnelName: 'Solar check', createdAt: minutes(3), convertedAt: minutes(3), completedAt: minutes(5), lastSeenAt: minutes(5), globalId: null });
		// Perspective's Funnel Completed body arrives after: nothing more
		expect(memory(parsedEvents(funnelCompletedBody(), NOW), settingsOf()).emissions).toEqual([]);
	});

	it.each([
		['the stored form', storedMemory],
		['the static-data store', storeMemory],
	])('response events, then a body: its item shows the body over the answers kept, and only the answers stay (%s)', (_name, memoryOf) => {
		const memory = memoryOf();
		memory(parsedEvents(answer(1, [{ id: 'roof', value: 'Flat' }, { id: 'q8fk2l1', value: 'Tiles' }]), NOW), settingsOf());
		const lead = memory(parsedEvents(newLeadBody(), NOW), settingsOf());
		// the body is later (minute 3): its value of q8fk2l1 wins in its item; roof comes from the answers kept
		expect(fieldsOf(lead)).toEqual([
			{ roof: 'Flat', q8fk2l1: 'Flat;Gable', firstName: 'Ada', email: 'ada@example.com', 'address.city': 'Berlin', 'address.postalCode': '10115', cookies: 'Google Analytics;Meta Pixel' },
		]);
		expect(lead.write).toHaveLength(1);
		expect(Object.fromEntries([...lead.write[0].fields].map(([path, field]) => [path, field.value]))).toEqual({ roof: 'Flat', q8fk2l1: 'Tiles' });
		const completed = memory(parsedEvents(answer(6, [], { isLast: true }), NOW), settingsOf());
		expect(fieldsOf(completed)).toEqual([{ roof: 'Flat', q8fk2l1: 'Tiles' }]);
		expect(completed.emissions[0].contact).toMatchObject({ createdAt: minutes(0), convertedAt: minutes(3), globalId: 'g_8f2d1c' });
	});

	it('any mix, replayed, in any order: both memories give the same items, however the events are grouped into requests', () => {
		fc.assert(
			fc.property(deliveries((journey) => [...perspectiveBodies(journey, T0), ...responseEvents(journey, T0)]), ({ requests }) => {
				const perRequest = eventsOf(requests);
				const grouped = storedMemory();
				const fromStored = perRequest.flatMap((request) => grouped(request, settingsOf()).emissions);
				const single = storeMemory();
				const fromStore = perRequest.flat().flatMap((event) => single([event], settingsOf()).emissions);
				expect(fromStore).toEqual(fromStored);
			}),
			{ seed: 21, numRuns: 300 },
		);
	});

	it('within one request as across requests: the items do not depend on how events are grouped', () => {
		const events = [...parsedEvents(newLeadBody(), NOW), ...parsedEvents(answer(5, [{ id: 'note', value: 'x' }], { isLast: true }), NOW)];
		const together = storedMemory()(events, settingsOf());
		const apart = storedMemory();
		const separately = events.flatMap((event) => apart([event], settingsOf()).emissions);
		expect(together.emissions).toEqual(separately);
	});
});
