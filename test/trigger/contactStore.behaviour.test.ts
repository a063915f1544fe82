/**
 * What the exactly-once store promises, stated as a caller sees it: the items it emits, the
 * copy it asks n8n to save (read back as contacts), and what it refuses to read. Written
 * against the survivors of mutation testing (docs/mutation-testing.md).
 */
import { decodeContacts } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { ContactStore, readStoredState, writeStoredState, type StoredState } from '../../nodes/PerspectiveFunnel/trigger/contactStore';
import { handle } from '../helpers/storeRequest';
import type { ContactEvent, FunnelEventName, TriggerSettings } from '../../nodes/PerspectiveFunnel/funnel/types';
import { answerEvent as answer, completionEvent as completion, leadEvent as lead, minutes } from '../fixtures/perspective';
import { SharedRow } from '../helpers/sharedRow';

const DAY = 24 * 60 * 60 * 1000;
const BOTH: ReadonlySet<FunnelEventName> = new Set(['new_lead', 'funnel_completed']);
const SETTINGS: TriggerSettings = { events: BOTH, funnelNames: new Set(), retentionDays: 30, maxContacts: 10_000 };

const emitted = (outcome: { emissions: Array<{ event: string; contact: { id: string } }> }) =>
	outcome.emissions.map((emission) => `${emission.contact.id}:${emission.event}`);


/** One production request: load the row, handle, save what the store asks to save. */
function request(store: ContactStore, row: SharedRow, events: ContactEvent[], now: number, settings = SETTINGS) {
	const outcome = handle(store, row.load(), events, settings, now);
	row.save(outcome.save);
	return outcome;
}

describe('what the store reads back from static data', () => {
	const valid = { format: 1, revision: 'p1.1', contacts: '[[]]' };

	it.each([
		['no state yet', {}],
		['another format', { ...valid, format: 2 }],
		['a revision that is not text', { ...valid, revision: 7 }],
		['contacts that are not text', { ...valid, contacts: [['c_1']] }],
		['no revision', { format: 1, contacts: '[[]]' }],
		['no contacts', { format: 1, revision: 'p1.1' }],
	])('takes %s as no stored state', (_name, staticData) => {
		expect(readStoredState(staticData)).toBeUndefined();
	});

	it('reads its own three keys and nothing else', () => {
		expect(readStoredState({ ...valid, other: 'kept apart' })).toEqual(valid);
	});
});

describe('exactly once, within one process', () => {
	it('a fresh store given nothing asks to save nothing', () => {
		const outcome = handle(new ContactStore('p1'), undefined, [], SETTINGS, minutes(0));
		expect(outcome).toEqual({ emissions: [], expired: 0, unreadable: 0, save: null, refusal: null });
	});

	it('emits each lead once across requests that all loaded the same empty row', () => {
		const row = new SharedRow();
		const store = new ContactStore('p1');
		const loaded = row.load();
		const outcomes = ['a', 'a', 'b', 'a', 'b'].map((id) => handle(store, loaded, [lead(id, minutes(1))], SETTINGS, minutes(1)));
		expect(outcomes.flatMap(emitted)).toEqual(['a:new_lead', 'b:new_lead']);
		// the saves land in any order; the one that lands last after the burst holds both
		row.save(outcomes[0].save);
		expect(row.ids()).toEqual(['a']);
		row.save(outcomes[4].save);
		expect(row.ids()).toEqual(['a', 'b']);
	});

	it('recognises a copy it already holds: loading it again changes nothing it saves', () => {
		const row = new SharedRow();
		const other = new ContactStore('other');
		request(other, row, [lead('a', minutes(1))], minutes(1));
		const otherCopy = row.load()!;

		const store = new ContactStore('p1');
		const first = handle(store, otherCopy, [], SETTINGS, minutes(2));
		expect(first.save?.revision).not.toBe(otherCopy.revision);
		// the same copy, loaded by a later request that the save above did not reach yet
		const again = handle(store, otherCopy, [], SETTINGS, minutes(3));
		expect(again.save).toEqual(first.save);
		expect(handle(store, first.save!, [], SETTINGS, minutes(4)).save).toBeNull();
	});

	it('remembers the last 256 revisions it wrote or merged, and merges an older copy again (losing nothing)', () => {
		const copy = handle(new ContactStore('other'), undefined, [lead('a', minutes(1))], SETTINGS, minutes(1)).save!;
		const store = new ContactStore('p1');
		let last = handle(store, copy, [], SETTINGS, minutes(1)).save!;
		// 254 more saves of its own: the copy's revision is the oldest of the 256 remembered
		for (let index = 0; index < 254; index++) last = handle(store, undefined, [answer(`x${index}`, minutes(2))], SETTINGS, minutes(2)).save!;
		expect(handle(store, copy, [], SETTINGS, minutes(2)).save).toEqual(last);
		// one more, and the copy is forgotten: loading it merges it again, under a new revision
		last = handle(store, undefined, [answer('y', minutes(2))], SETTINGS, minutes(2)).save!;
		const merged = handle(store, copy, [], SETTINGS, minutes(2));
		expect(merged.save?.revision).not.toBe(last.revision);
		expect(decodeContacts(merged.save!.contacts).contacts.find((contact) => contact.id === 'a')).toMatchObject({ convertedAt: minutes(1) });
		expect(emitted(handle(store, copy, [lead('a', minutes(3))], SETTINGS, minutes(3)))).toEqual([]);
	});

	it('counts only requests that change something toward the 256 revisions it remembers', () => {
		const copy = handle(new ContactStore('other'), undefined, [lead('a', minutes(1))], SETTINGS, minutes(1)).save!;
		const store = new ContactStore('p1');
		let last = handle(store, copy, [], SETTINGS, minutes(1)).save!;
		for (let index = 0; index < 254; index++) last = handle(store, undefined, [answer(`x${index}`, minutes(2))], SETTINGS, minutes(2)).save!;
		// requests that change nothing write no revision: the copy is still the oldest remembered
		for (let index = 0; index < 3; index++) handle(store, undefined, [], SETTINGS, minutes(2));
		expect(handle(store, copy, [], SETTINGS, minutes(2)).save).toEqual(last);
	});

	it('counts the unreadable records of a stored copy once, not on every request that loads it again', () => {
		const row = new SharedRow();
		request(new ContactStore('before'), row, [lead('a', minutes(1))], minutes(1));
		const damaged: StoredState = { ...row.load()!, contacts: row.saved!.contacts.replace(/\]$/, ',["broken"],42]') };
		const store = new ContactStore('after');
		expect(handle(store, damaged, [], SETTINGS, minutes(2)).unreadable).toBe(2);
		expect(handle(store, damaged, [], SETTINGS, minutes(3)).unreadable).toBe(0);
		// what could be read still counts: the lead is not emitted again
		expect(emitted(handle(store, damaged, [lead('a', minutes(4))], SETTINGS, minutes(4)))).toEqual([]);
	});

	it('counts events too old to tell from a replay, and keeps nothing of them', () => {
		const row = new SharedRow();
		const now = minutes(0) + 40 * DAY;
		const outcome = request(new ContactStore('p1'), row, [lead('old', minutes(0)), lead('new', now)], now);
		expect(outcome).toMatchObject({ expired: 1 });
		expect(emitted(outcome)).toEqual(['new:new_lead']);
		expect(row.ids()).toEqual(['new']);
	});
});

describe('merging a copy saved by another process', () => {
	it('takes what the other copy knows about a contact this store already saved, even when the request is about someone else', () => {
		const row = new SharedRow();
		const one = new ContactStore('one');
		const two = new ContactStore('two');
		// both processes know visitor a as a lead, each from its own save
		request(one, row, [answer('a', minutes(1)), lead('a', minutes(2))], minutes(2));
		request(two, row, [], minutes(2));
		// process two sees a complete the funnel
		expect(emitted(request(two, row, [completion('a', minutes(3))], minutes(3)))).toEqual(['a:funnel_completed']);
		// process one's next request is about visitor b; the copy it saves must keep a's completion
		request(one, row, [lead('b', minutes(4))], minutes(4));
		const a = row.contacts().find((contact) => contact.id === 'a')!;
		expect(a.completedAt).toBe(minutes(3));
		// and a replay of the completion through process one emits nothing
		expect(emitted(request(one, row, [completion('a', minutes(3))], minutes(5)))).toEqual([]);
	});

	it('keeps what it knows when the other copy is older', () => {
		const one = new ContactStore('one');
		// process two saved visitor a before a became a lead; process one never saw that copy
		const stale = handle(new ContactStore('two'), undefined, [answer('a', minutes(1))], SETTINGS, minutes(1)).save!;
		handle(one, undefined, [lead('a', minutes(2)), completion('a', minutes(3))], SETTINGS, minutes(3));
		const outcome = handle(one, stale, [lead('a', minutes(2))], SETTINGS, minutes(4));
		expect(emitted(outcome)).toEqual([]);
		expect(decodeContacts(outcome.save!.contacts).contacts).toEqual([
			expect.objectContaining({ id: 'a', createdAt: minutes(1), convertedAt: minutes(2), completedAt: minutes(3) }),
		]);
	});

	it('takes in nothing from the other copy on a refused request, and asks to save nothing; the next request merges it', () => {
		const other = handle(new ContactStore('two'), undefined, [lead('a', minutes(1))], SETTINGS, minutes(1)).save!;
		const store = new ContactStore('one');
		const clash = [answer('b', minutes(2), { fields: [{ path: 'x.y', value: '1', title: 'X' }] }), answer('b', minutes(2), { fields: [{ path: 'x', value: '2', title: 'X' }] })];
		expect(handle(store, other, clash, SETTINGS, minutes(2))).toMatchObject({ emissions: [], save: null, refusal: { kind: 'malformed', index: 1 } });
		const next = handle(store, other, [lead('b', minutes(3))], SETTINGS, minutes(3));
		expect(emitted(next)).toEqual(['b:new_lead']);
		expect(decodeContacts(next.save!.contacts).contacts.map((contact) => contact.id).sort()).toEqual(['a', 'b']);
	});

	it('drops the profile of a stored contact that can emit nothing more under the current selection', () => {
		const row = new SharedRow();
		// saved while both events were selected: a lead, still open for completion, profile kept
		request(new ContactStore('before'), row, [lead('a', minutes(1))], minutes(1));
		expect(row.contacts()[0].fields.size).toBe(1);
		// after a restart with only New Lead selected, a can emit nothing more
		const onlyLeads: TriggerSettings = { ...SETTINGS, events: new Set(['new_lead']) };
		request(new ContactStore('after'), row, [answer('b', minutes(2))], minutes(2), onlyLeads);
		const a = row.contacts().find((contact) => contact.id === 'a')!;
		expect(a).toMatchObject({ convertedAt: minutes(1), funnelName: '', globalId: null });
		expect(a.fields.size).toBe(0);
	});
});

describe('forgetting: retention and Max Contacts', () => {
	it('forgets a contact not seen for Retention (Days): the saved copy no longer holds it, and a replay emits again', () => {
		const row = new SharedRow();
		const store = new ContactStore('p1');
		request(store, row, [lead('a', minutes(0))], minutes(0));
		const later = minutes(0) + 31 * DAY;
		const outcome = request(store, row, [answer('b', later)], later);
		expect(row.ids()).toEqual(['b']);
		expect(emitted(outcome)).toEqual([]);
		expect(emitted(request(store, row, [lead('a', later)], later))).toEqual(['a:new_lead']);
	});

	it('saves an empty copy once every contact has expired, so a restart does not bring them back', () => {
		const row = new SharedRow();
		request(new ContactStore('p1'), row, [lead('a', minutes(0))], minutes(0));
		const store = new ContactStore('p2');
		const later = minutes(0) + 31 * DAY;
		// the only event of the request is itself too old to keep
		const outcome = request(store, row, [lead('c', minutes(0))], later);
		expect(outcome.expired).toBe(1);
		expect(outcome.save).not.toBeNull();
		expect(row.ids()).toEqual([]);
		// after a restart, a is new again (it was forgotten), not a duplicate held back
		expect(emitted(request(new ContactStore('p3'), row, [lead('a', later)], later))).toEqual(['a:new_lead']);
	});

	it('keeps a contact seen exactly Retention (Days) ago', () => {
		const row = new SharedRow();
		const store = new ContactStore('p1');
		request(store, row, [lead('a', minutes(0))], minutes(0));
		const later = minutes(0) + 30 * DAY;
		request(store, row, [answer('b', later)], later);
		expect(row.ids()).toEqual(['a', 'b']);
		expect(emitted(request(store, row, [lead('a', later)], later))).toEqual([]);
	});

	it('past Max Contacts forgets the least recently seen first, and only as many as needed', () => {
		const row = new SharedRow();
		const store = new ContactStore('p1');
		const settings: TriggerSettings = { ...SETTINGS, maxContacts: 3 };
		request(store, row, [lead('a', minutes(1)), lead('b', minutes(2)), lead('c', minutes(3))], minutes(3), settings);
		// a is seen again, so b is now the least recently seen
		request(store, row, [answer('a', minutes(4))], minutes(4), settings);
		request(store, row, [lead('d', minutes(5))], minutes(5), settings);
		expect(row.ids()).toEqual(['a', 'c', 'd']);
		// b emits again (forgotten); a, c and d do not
		const replay = request(store, row, ['a', 'b', 'c', 'd'].map((id) => lead(id, minutes(6))), minutes(6), settings);
		expect(emitted(replay)).toEqual(['b:new_lead']);
	});
});

describe('publishing to the saves n8n has not made yet', () => {
	const stateOf = (store: ContactStore, at: number, id: string) => handle(store, undefined, [lead(id, at)], SETTINGS, at).save!;

	it('writes the newest state into the static data of recent requests too', () => {
		const store = new ContactStore('p1');
		const first: Record<string, unknown> = {};
		const second: Record<string, unknown> = { unrelated: true };
		store.publish(first, stateOf(store, minutes(0), 'a'), minutes(0));
		const newest = stateOf(store, minutes(0) + 5_000, 'b');
		store.publish(second, newest, minutes(0) + 5_000);
		expect(readStoredState(first)).toEqual(newest);
		expect(readStoredState(second)).toEqual(newest);
		expect(second.unrelated).toBe(true);
	});

	it('leaves alone the static data of a request more than 10 seconds old', () => {
		const store = new ContactStore('p1');
		const old: Record<string, unknown> = {};
		const recent: Record<string, unknown> = {};
		const oldState = stateOf(store, minutes(0), 'a');
		store.publish(old, oldState, minutes(0));
		store.publish(recent, stateOf(store, minutes(0) + 10_000, 'b'), minutes(0) + 10_000);
		expect(readStoredState(old)).toEqual(readStoredState(recent));
		const newest = stateOf(store, minutes(0) + 10_001, 'c');
		store.publish({}, newest, minutes(0) + 10_001);
		expect(readStoredState(old)).not.toEqual(newest);
		expect(readStoredState(recent)).toEqual(newest);
	});

	it('reaches back at most 256 requests', () => {
		const store = new ContactStore('p1');
		const requests = Array.from({ length: 258 }, () => ({}) as Record<string, unknown>);
		const states = requests.map((_, index) => {
			const state: StoredState = { format: 1, revision: `r${index}`, contacts: '[[]]' };
			store.publish(requests[index], state, minutes(0));
			return state;
		});
		// each request's data is written again by the next 255 publishes, and no more
		expect(readStoredState(requests[0])).toEqual(states[255]);
		expect(readStoredState(requests[1])).toEqual(states[256]);
		expect(readStoredState(requests[257])).toEqual(states[257]);
	});

	it('writes exactly the state it is given', () => {
		const staticData: Record<string, unknown> = {};
		const state: StoredState = { format: 1, revision: 'p1.9', contacts: '[[]]' };
		writeStoredState(staticData, state);
		expect(staticData).toEqual(state);
	});
});

describe('keeping the stored state within its budget (8,000,000 characters)', () => {
	const BUDGET = 8_000_000;
	const now = minutes(200);
	/** A visitor whose answers take about 99,000 characters: ten fields of 9,900. */
	const big = (contactId: string, at: number): ContactEvent =>
		answer(contactId, at, { fields: Array.from({ length: 10 }, (_, index) => ({ path: `q${index}`, value: 'x'.repeat(9_900), title: `q${index}` })) });
	const pad = (length: number) => answer('k_pad', minutes(100), { fields: [{ path: 'pad', value: 'x'.repeat(length), title: 'pad' }] });
	const saved = (events: ContactEvent[]) => handle(new ContactStore('p1'), undefined, events, SETTINGS, now).save!.contacts;

	it('past the budget forgets the least recently seen, by last visit rather than by arrival, and only as many as needed', () => {
		// 72 recent visitors and one more sized so that together they take exactly nine tenths of the budget
		const recent = Array.from({ length: 72 }, (_, index) => big(`k_${String(index).padStart(2, '0')}`, minutes(20 + index)));
		const length = 1 + 0.9 * BUDGET - saved([...recent, pad(1)]).length;
		expect(saved([...recent, pad(length)])).toHaveLength(0.9 * BUDGET);
		// ten visitors seen before all of them, whose late answers arrive last, take the state past the budget
		// (with long titles of their own, kept in the stored form's dictionary rather than in their records)
		const old = Array.from({ length: 10 }, (_, visitor) =>
			answer(`z_${visitor}`, minutes(1 + visitor), {
				fields: Array.from({ length: 10 }, (_, index) => ({ path: `q${index}`, value: 'x', title: `${visitor}.${index} `.padEnd(9_900, 't') })),
			}),
		);
		const state = saved([...recent, pad(length), ...old]);
		expect(state).toHaveLength(0.9 * BUDGET);
		expect(decodeContacts(state).contacts.map((contact) => contact.id)).toEqual([...recent.map((event) => event.contactId), 'k_pad']);
	});

	it('keeps a state of exactly 8,000,000 characters whole, and shrinks one a character longer', () => {
		const visitors = Array.from({ length: 80 }, (_, index) => big(`k_${String(index).padStart(2, '0')}`, minutes(20 + index)));
		const length = 1 + BUDGET - saved([...visitors, pad(1)]).length;
		const whole = saved([...visitors, pad(length)]);
		expect(whole).toHaveLength(BUDGET);
		expect(decodeContacts(whole).contacts).toHaveLength(81);
		const shrunk = saved([...visitors, pad(length + 1)]);
		expect(shrunk.length).toBeLessThanOrEqual(0.9 * BUDGET);
		expect(decodeContacts(shrunk).contacts.length).toBeLessThan(81);
	});

	it('past the budget keeps as many of the most recently seen as fit, also where the state is mostly long titles', () => {
		// each visitor's ten titles are its own: the stored form keeps them in its dictionary, outside the visitors' records
		const events = Array.from({ length: 90 }, (_, visitor) =>
			answer(`c_${String(visitor).padStart(2, '0')}`, minutes(1 + visitor), {
				fields: Array.from({ length: 10 }, (_, index) => ({ path: `q${index}`, value: 'x', title: `${visitor}.${index} `.padEnd(9_900, 't') })),
			}),
		);
		const state = saved(events);
		const kept = decodeContacts(state).contacts.map((contact) => contact.id);
		expect(state.length).toBeLessThanOrEqual(0.9 * BUDGET);
		expect(kept.length).toBeGreaterThan(60);
		expect(kept).toEqual(events.slice(-kept.length).map((event) => event.contactId));
		// one more of them would not have fitted
		expect(saved(events.slice(-kept.length - 1)).length).toBeGreaterThan(0.9 * BUDGET);
	});
});
