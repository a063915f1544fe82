import { decodeContacts } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { parseRequestBody } from '../../nodes/PerspectiveFunnel/funnel/parse';
import { ContactStore, readStoredState, writeStoredState, type StoredState } from '../../nodes/PerspectiveFunnel/trigger/contactStore';
import { handle } from '../helpers/storeRequest';
import type { ContactEvent, TriggerSettings } from '../../nodes/PerspectiveFunnel/funnel/types';
import { minutes, newLeadBody, responseSession } from '../fixtures/perspective';
import { SharedRow } from '../helpers/sharedRow';

const NOW = minutes(60);
const SETTINGS: TriggerSettings = { events: new Set(['new_lead', 'funnel_completed']), funnelNames: new Set(), retentionDays: 30, maxContacts: 10_000 };

function parsed(body: unknown): ContactEvent[] {
	const result = parseRequestBody(body, NOW);
	if (!result.ok) throw new Error(result.problem.message);
	return result.events;
}


const emitted = (outcome: { emissions: Array<{ event: string; contact: { id: string } }> }) =>
	outcome.emissions.map((emission) => `${emission.contact.id}:${emission.event}`);

describe('ContactStore in one process', () => {
	it('loses nothing and emits once when concurrent requests load the same stale copy and save out of order', () => {
		const row = new SharedRow();
		const store = new ContactStore('p1');
		const sessions = ['a', 'b', 'c', 'd'].map((id) => parsed(responseSession(id)));
		const all: string[] = [];
		// Four waves: every request of a wave loads the copy stored before the wave started,
		// and the wave's saves land in reverse order (the oldest save wins the row).
		for (let step = 0; step < 4; step++) {
			const loaded = row.load();
			const saves = sessions.map((events) => {
				const outcome = handle(store, loaded, [events[step]], SETTINGS, NOW);
				all.push(...emitted(outcome));
				return outcome.save;
			});
			for (const save of saves.reverse()) row.save(save);
		}
		expect(all.sort()).toEqual(['a', 'b', 'c', 'd'].flatMap((id) => [`${id}:funnel_completed`, `${id}:new_lead`]).sort());
		// The row holds a stale save; the next request heals it with everything known.
		const healed = handle(store, row.load(), [], SETTINGS, NOW);
		row.save(healed.save);
		expect(row.contacts().map((contact) => contact.id).sort()).toEqual(['a', 'b', 'c', 'd']);
		expect(row.contacts().every((contact) => contact.convertedAt !== null && contact.completedAt !== null)).toBe(true);
	});

	it('writes nothing when the loaded copy is already the current one', () => {
		const row = new SharedRow();
		const store = new ContactStore('p1');
		row.save(handle(store, row.load(), parsed(newLeadBody()), SETTINGS, NOW).save);
		expect(handle(store, row.load(), [], SETTINGS, NOW).save).toBeNull();
		expect(handle(store, row.load(), parsed(newLeadBody()), SETTINGS, NOW).emissions).toEqual([]);
	});

	it('after a restart, takes the stored copy as the authority', () => {
		const row = new SharedRow();
		const before = new ContactStore('before');
		const [first, second, third, fourth] = parsed(responseSession('c_1'));
		row.save(handle(before, row.load(), [first, second], SETTINGS, NOW).save);
		const after = new ContactStore('after');
		const outcome = handle(after, row.load(), [third, fourth], SETTINGS, NOW);
		expect(emitted(outcome)).toEqual(['c_1:new_lead', 'c_1:funnel_completed']);
		expect(outcome.emissions[0].contact.fields.map((field) => field.path)).toEqual(['roofType', 'cookies', 'monthlyBill', 'address.city', 'firstName', 'email']);
	});

	it('reads and writes only its own keys of the static data', () => {
		const staticData: Record<string, unknown> = { somethingElse: 1 };
		expect(readStoredState(staticData)).toBeUndefined();
		const save = handle(new ContactStore('p1'), undefined, parsed(newLeadBody()), SETTINGS, NOW).save!;
		writeStoredState(staticData, save);
		expect(readStoredState(staticData)).toEqual(save);
		expect(staticData.somethingElse).toBe(1);
		expect(readStoredState({ format: 99, revision: 'x', contacts: '[]' })).toBeUndefined();
	});
});

describe('ContactStore in several processes sharing one stored copy', () => {
	it('loses nothing when two processes interleave saves in any order, each healing on its next request', () => {
		const row = new SharedRow();
		const one = new ContactStore('one');
		const two = new ContactStore('two');
		const contactsOf = (prefix: string) => Array.from({ length: 5 }, (_, index) => parsed(responseSession(`${prefix}${index}`)));
		const sessionsOne = contactsOf('p1-');
		const sessionsTwo = contactsOf('p2-');
		const leads: string[] = [];
		for (let step = 0; step < 4; step++) {
			for (let index = 0; index < 5; index++) {
				// both load the same copy; one saves first, then two overwrites it (or the reverse)
				const loaded = row.load();
				const a = handle(one, loaded, [sessionsOne[index][step]], SETTINGS, NOW);
				const b = handle(two, loaded, [sessionsTwo[index][step]], SETTINGS, NOW);
				leads.push(...emitted(a), ...emitted(b));
				const order = (step + index) % 2 === 0 ? [a.save, b.save] : [b.save, a.save];
				for (const save of order) row.save(save);
			}
		}
		row.save(handle(one, row.load(), [], SETTINGS, NOW).save);
		row.save(handle(two, row.load(), [], SETTINGS, NOW).save);
		expect(row.contacts()).toHaveLength(10);
		expect(row.contacts().every((contact) => contact.convertedAt !== null && contact.completedAt !== null)).toBe(true);
		expect(new Set(leads).size).toBe(leads.length);
		expect(leads).toHaveLength(20);
	});

	it('can emit twice when two processes handle the same contact before either save is seen (the documented limit)', () => {
		const row = new SharedRow();
		const one = new ContactStore('one');
		const two = new ContactStore('two');
		const loaded = row.load();
		const a = handle(one, loaded, parsed(newLeadBody()), SETTINGS, NOW);
		const b = handle(two, loaded, parsed(newLeadBody()), SETTINGS, NOW);
		expect([...emitted(a), ...emitted(b)]).toHaveLength(2);
		row.save(a.save);
		// once a process has seen the other's save, a replay emits nothing
		expect(emitted(handle(two, row.load(), parsed(newLeadBody()), SETTINGS, NOW))).toEqual([]);
	});
});

describe('the stored dictionary', () => {
	it('does not keep the strings of forgotten contacts for ever', () => {
		const store = new ContactStore('p1');
		const settings: TriggerSettings = { ...SETTINGS, maxContacts: 10 };
		let save: StoredState | null = null;
		for (let index = 0; index < 3000; index++) {
			const event = { type: 'response', contactId: `c${index}`, timestamp: NOW - 3000 + index, funnelName: `Funnel ${index}`, answers: [{ id: `question${index}`, title: `Title ${index}`, value: 'x' }] };
			save = handle(store, save ?? undefined, parsed(event), settings, NOW).save ?? save;
		}
		const [dictionary, ...contacts] = JSON.parse(save!.contacts) as [string[], ...unknown[]];
		expect(contacts).toHaveLength(10);
		expect(dictionary.length).toBeLessThanOrEqual(2 * 10 + 1000 + 3);
		expect(decodeContacts(save!.contacts).contacts.map((contact) => contact.fields.keys().next().value)).toEqual(
			Array.from({ length: 10 }, (_, index) => `question${2990 + index}`),
		);
	});
});
