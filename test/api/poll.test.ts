import { readListPage, recordId } from '../../nodes/PerspectiveFunnel/api/contract';
import type { FetchPage } from '../../nodes/PerspectiveFunnel/api/paging';
import {
	LOOKBACK_MS,
	POLLED_EVENTS,
	SEEN_MAX,
	decodeCursor,
	encodeCursor,
	newestSample,
	pollForNew,
	type PollCursor,
} from '../../nodes/PerspectiveFunnel/api/poll';
import { PerspectiveApiModel, addLeads as addLeadsAt, apiContact, type FunnelData } from '../contract/perspectiveApiServer';

const KEY = 'k_test';
const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const LEAD = POLLED_EVENTS.newLead.timeField;

/** Reads pages through the contract model, newest first by `field`; `between` runs before each page. */
function fetcherFor(model: PerspectiveApiModel, funnel: FunnelData, field: string, between?: (page: number) => void) {
	const pages: number[] = [];
	const fetchPage: FetchPage = async (page, limit) => {
		between?.(page);
		pages.push(page);
		const answer = model.handle(
			'GET',
			`/v1/funnels/${funnel.id}/contacts`,
			{ page: String(page), limit: String(limit), sortField: field, sortOrder: '-1' },
			{ 'x-perspective-api-key': KEY },
			undefined,
		);
		const checked = readListPage(answer.body);
		if (!checked.ok) throw new Error(checked.problem);
		return checked.value;
	};
	return { fetchPage, pages };
}

function setup() {
	const model = new PerspectiveApiModel(KEY, { requests: 1_000_000, windowMs: 60_000 });
	const funnel = model.addFunnel({ id: 'w1', name: 'Marketing' }, { id: 'f1', name: 'Solar check' });
	return { model, funnel };
}

/** Adds `count` leads converted at T0 + start + i seconds. */
function addLeads(funnel: FunnelData, prefix: string, count: number, startS: number, stepMs = 1000) {
	addLeadsAt(funnel, prefix, count, (index) => T0 + startS * 1000 + index * stepMs);
}

/** A contact converted at `at`, or a visitor (null). */
const contactAt = (id: string, at: number | null) => apiContact(id, at);

const ids = (records: Array<Record<string, unknown>>) => records.map((record) => recordId(record));

async function pollTwice(funnel: FunnelData, model: PerspectiveApiModel, arrive: () => void) {
	const { fetchPage } = fetcherFor(model, funnel, LEAD);
	const first = await pollForNew(fetchPage, LEAD, null, 'f1:newLead');
	arrive();
	return { first, second: await pollForNew(fetchPage, LEAD, first.cursor, 'f1:newLead') };
}

describe('pollForNew', () => {
	it('sets a baseline on the first poll and emits nothing, however many contacts exist', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'old', 250, 0);
		const { fetchPage, pages } = fetcherFor(model, funnel, LEAD);
		const outcome = await pollForNew(fetchPage, LEAD, null, 'f1:newLead');
		expect(outcome.baseline).toBe(true);
		expect(outcome.fresh).toEqual([]);
		expect(outcome.cursor.watermark).toBe(T0 + 249_000);
		// reads back only as far as the lookback from the newest contact, not the whole funnel
		expect(pages).toEqual([0, 1, 2]);
		expect(outcome.cursor.floor).toBe(T0 + 249_000 - LOOKBACK_MS);
	});

	it('emits every contact that arrived between polls, across many pages, oldest first', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'old', 5, 0);
		const { second } = await pollTwice(funnel, model, () => addLeads(funnel, 'new', 350, 3600));
		expect(second.baseline).toBe(false);
		expect(ids(second.fresh)).toEqual(Array.from({ length: 350 }, (_, index) => `new${index}`));
		expect(second.pagesRead).toBe(4);
	});

	it('does not emit a contact twice across polls', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'old', 3, 0);
		const { fetchPage } = fetcherFor(model, funnel, LEAD);
		let cursor: PollCursor | null = null;
		const emitted: string[] = [];
		for (let round = 0; round < 5; round++) {
			addLeads(funnel, `r${round}_`, 30, 100 + round * 40);
			const outcome = await pollForNew(fetchPage, LEAD, cursor, 'f1:newLead');
			emitted.push(...(ids(outcome.fresh) as string[]));
			cursor = outcome.cursor;
		}
		// round 0 is the baseline: its contacts are part of where the funnel stood
		expect(emitted).toHaveLength(4 * 30);
		expect(new Set(emitted).size).toBe(emitted.length);
		expect(emitted[0]).toBe('r1_0');
	});

	it('neither drops nor repeats contacts with the same timestamp, split across polls and pages', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'old', 150, 0);
		const sameMoment = T0 + 600_000;
		const tie = (id: string) => contactAt(id, sameMoment);
		funnel.contacts.push(tie('tie_a'));
		const { fetchPage } = fetcherFor(model, funnel, LEAD);
		const first = await pollForNew(fetchPage, LEAD, null, 'f1:newLead');
		// two more at exactly the watermark, plus 120 older than it by less than the lookback
		funnel.contacts.push(tie('tie_b'), tie('tie_c'));
		addLeads(funnel, 'late', 120, 590, 10);
		const second = await pollForNew(fetchPage, LEAD, first.cursor, 'f1:newLead');
		expect((ids(second.fresh) as string[]).sort()).toEqual(
			['tie_b', 'tie_c', ...Array.from({ length: 120 }, (_, index) => `late${index}`)].sort(),
		);
		const third = await pollForNew(fetchPage, LEAD, second.cursor, 'f1:newLead');
		expect(third.fresh).toEqual([]);
	});

	it('loses nothing when contacts arrive while it is paging', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'old', 10, 0);
		let wave = 0;
		const arriving = (page: number) => {
			if (page > 0) addLeads(funnel, `during${wave++}_`, 40, 7200 + wave * 50);
		};
		const base = await pollForNew(fetcherFor(model, funnel, LEAD).fetchPage, LEAD, null, 'f1:newLead');
		addLeads(funnel, 'before', 250, 3600);
		const { fetchPage } = fetcherFor(model, funnel, LEAD, arriving);
		const busy = await pollForNew(fetchPage, LEAD, base.cursor, 'f1:newLead');
		const calm = await pollForNew(fetcherFor(model, funnel, LEAD).fetchPage, LEAD, busy.cursor, 'f1:newLead');
		const all = [...(ids(busy.fresh) as string[]), ...(ids(calm.fresh) as string[])];
		expect(new Set(all).size).toBe(all.length);
		expect(all).toHaveLength(250 + wave * 40);
	});

	it('skips contacts that lack the watched time (visitors who have not converted)', async () => {
		const { model, funnel } = setup();
		const { second } = await pollTwice(funnel, model, () => {
			for (let index = 0; index < 250; index++) funnel.contacts.push(contactAt(`visitor${index}`, null));
			addLeads(funnel, 'lead', 2, 60);
		});
		expect(ids(second.fresh)).toEqual(['lead0', 'lead1']);
		// untimed contacts sort last: the first of them ends the reading
		expect(second.pagesRead).toBe(1);
	});

	it('emits every contact once a funnel that was empty at the baseline gets its first', async () => {
		const { model, funnel } = setup();
		const { first, second } = await pollTwice(funnel, model, () => addLeads(funnel, 'first', 3, 0));
		expect(first.cursor).toMatchObject({ watermark: null, floor: null, seen: [] });
		expect(ids(second.fresh)).toEqual(['first0', 'first1', 'first2']);
	});

	it('catches a contact that shows up late with an older time, within the lookback, once', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'old', 3, 0);
		const { second } = await pollTwice(funnel, model, () =>
			funnel.contacts.push(contactAt('straggler', T0 + 2_000 - LOOKBACK_MS / 2)),
		);
		expect(ids(second.fresh)).toEqual(['straggler']);
	});

	it('starts a new baseline when the funnel or the event changes', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'old', 3, 0);
		const { fetchPage } = fetcherFor(model, funnel, LEAD);
		const first = await pollForNew(fetchPage, LEAD, null, 'f1:newLead');
		addLeads(funnel, 'new', 3, 100);
		const other = await pollForNew(fetchPage, LEAD, first.cursor, 'f2:newLead');
		expect(other.baseline).toBe(true);
		expect(other.fresh).toEqual([]);
		expect(other.cursor.key).toBe('f2:newLead');
	});

	it('bounds what it remembers and never re-emits what it forgot', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'old', 1, 0);
		const { fetchPage } = fetcherFor(model, funnel, LEAD);
		const first = await pollForNew(fetchPage, LEAD, null, 'f1:newLead');
		// more contacts within one lookback window than the cursor keeps, two per timestamp
		for (let index = 0; index < SEEN_MAX + 501; index++) {
			const at = T0 + 60_000 + Math.floor(index / 2) * 10;
			funnel.contacts.push(contactAt(`burst${index}`, at));
		}
		const second = await pollForNew(fetchPage, LEAD, first.cursor, 'f1:newLead');
		expect(second.fresh).toHaveLength(SEEN_MAX + 501);
		expect(second.cursor.seen.length).toBeLessThanOrEqual(SEEN_MAX);
		const third = await pollForNew(fetchPage, LEAD, second.cursor, 'f1:newLead');
		expect(third.fresh).toEqual([]);
		expect(encodeCursor(second.cursor).length).toBeLessThan(SEEN_MAX * 40);
	});
});

describe('stored cursor', () => {
	it('round-trips through its stored string', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'old', 3, 0);
		const { cursor } = await pollForNew(fetcherFor(model, funnel, LEAD).fetchPage, LEAD, null, 'f1:newLead');
		expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
	});

	it.each([
		['nothing stored', undefined],
		['not a string', { key: 'f1:newLead' }],
		['not JSON', '{oops'],
		['wrong shape', JSON.stringify({ key: 'f1:newLead', watermark: 'soon', floor: null, seen: [] })],
		['bad seen entry', JSON.stringify({ key: 'f1:newLead', watermark: 1, floor: 0, seen: [[1, 'x']] })],
	])('reads as none when %s, so a new baseline follows', (_, stored) => {
		expect(decodeCursor(stored)).toBeNull();
	});
});

describe('newestSample', () => {
	it('returns the newest contact that has the watched time', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'lead', 3, 0);
		funnel.contacts.push(contactAt('visitor', null));
		expect(recordId((await newestSample(fetcherFor(model, funnel, LEAD).fetchPage, LEAD))!)).toBe('lead2');
	});

	it('returns null for a funnel without such contacts', async () => {
		const { model, funnel } = setup();
		funnel.contacts.push(contactAt('visitor', null));
		expect(await newestSample(fetcherFor(model, funnel, LEAD).fetchPage, LEAD)).toBeNull();
	});
});

describe('hostile servers', () => {
	it('a poll against a server that repeats its first page with hasNext true ends, and emits once', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'old', 3, 0);
		const first = await pollForNew(fetcherFor(model, funnel, LEAD).fetchPage, LEAD, null, 'f1:newLead');
		addLeads(funnel, 'new', 2, 600);
		model.misbehave.ignorePage = true;
		const { fetchPage, pages } = fetcherFor(model, funnel, LEAD);
		const second = await pollForNew(fetchPage, LEAD, first.cursor, 'f1:newLead');
		expect(ids(second.fresh)).toEqual(['new0', 'new1']);
		expect(pages.length).toBeLessThanOrEqual(2);
		expect(await newestSample(fetchPage, LEAD)).toMatchObject({ id: 'new1' });
	});
});

describe('pollForNew at its edges', () => {
	const seenIds = (cursor: PollCursor) => cursor.seen.map(([id]) => id).sort();

	it('on a baseline reads back only as far as the lookback from the newest contact, and remembers just those', async () => {
		const { model, funnel } = setup();
		// 250 leads 10 s apart: the newest 31 lie within five minutes of the newest
		addLeads(funnel, 'lead', 250, 0, 10_000);
		const { fetchPage, pages } = fetcherFor(model, funnel, LEAD);
		const { cursor } = await pollForNew(fetchPage, LEAD, null, 'f1:newLead');
		expect(pages).toEqual([0]);
		expect(seenIds(cursor)).toEqual(Array.from({ length: 31 }, (_, index) => `lead${219 + index}`).sort());
	});

	it('emits every contact once a funnel that was empty at the baseline gets some, however far apart in time', async () => {
		const { model, funnel } = setup();
		const { second } = await pollTwice(funnel, model, () => addLeads(funnel, 'lead', 3, 0, 3_600_000));
		expect(ids(second.fresh)).toEqual(['lead0', 'lead1', 'lead2']);
		// from there on it watches as usual: from the lookback below the newest
		const newest = T0 + 7_200_000;
		expect(second.cursor).toMatchObject({ watermark: newest, floor: newest - LOOKBACK_MS });
		funnel.contacts.push(contactAt('next', newest + 1000));
		const third = await pollForNew(fetcherFor(model, funnel, LEAD).fetchPage, LEAD, second.cursor, 'f1:newLead');
		expect(ids(third.fresh)).toEqual(['next']);
	});

	it('catches a late contact exactly at the lookback edge, and not one a millisecond older', async () => {
		const { model, funnel } = setup();
		funnel.contacts.push(contactAt('newest', T0));
		const { second } = await pollTwice(funnel, model, () =>
			funnel.contacts.push(contactAt('beyond', T0 - LOOKBACK_MS - 1), contactAt('edge', T0 - LOOKBACK_MS)),
		);
		expect(ids(second.fresh)).toEqual(['edge']);
	});

	it('does not emit a contact at exactly the lookback edge twice', async () => {
		const { model, funnel } = setup();
		funnel.contacts.push(contactAt('edge', T0 - LOOKBACK_MS), contactAt('newest', T0));
		const { first, second } = await pollTwice(funnel, model, () => undefined);
		expect(first.cursor.floor).toBe(T0 - LOOKBACK_MS);
		expect(second.fresh).toEqual([]);
	});

	it('moves the watermark and the floor up to the newest contact and forgets what lies below the floor', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'old', 3, 0);
		const { second } = await pollTwice(funnel, model, () => addLeads(funnel, 'new', 2, 3600));
		const newest = T0 + 3_601_000;
		expect(second.cursor).toEqual({
			key: 'f1:newLead',
			watermark: newest,
			floor: newest - LOOKBACK_MS,
			seen: expect.arrayContaining([
				['new0', newest - 1000],
				['new1', newest],
			]) as unknown,
		});
		expect(second.cursor.seen).toHaveLength(2);
	});

	it('keeps the watermark when a poll finds only older contacts (the newest was deleted)', async () => {
		const { model, funnel } = setup();
		funnel.contacts.push(contactAt('newest', T0));
		const { second } = await pollTwice(funnel, model, () => {
			funnel.contacts.splice(0, 1);
			funnel.contacts.push(contactAt('late', T0 - 1000));
		});
		expect(ids(second.fresh)).toEqual(['late']);
		expect(second.cursor).toMatchObject({ watermark: T0, floor: T0 - LOOKBACK_MS });
	});

	it('emits contacts of the same time in ID order, whatever order the API lists them in', async () => {
		const { model, funnel } = setup();
		funnel.contacts.push(contactAt('old', T0));
		const { second } = await pollTwice(funnel, model, () => {
			for (const id of ['tie_c', 'tie_a', 'tie_e', 'tie_b', 'tie_d']) funnel.contacts.push(contactAt(id, T0 + 60_000));
			funnel.contacts.push(contactAt('after', T0 + 61_000), contactAt('before', T0 + 59_000));
		});
		expect(ids(second.fresh)).toEqual(['before', 'tie_a', 'tie_b', 'tie_c', 'tie_d', 'tie_e', 'after']);
	});

	it('remembers as many IDs as SEEN_MAX without forgetting any', async () => {
		const { model, funnel } = setup();
		funnel.contacts.push(contactAt('old', T0));
		const { second } = await pollTwice(funnel, model, () => addLeads(funnel, 'burst', SEEN_MAX - 1, 1, 10));
		const newest = T0 + 1000 + (SEEN_MAX - 2) * 10;
		expect(second.cursor.seen).toHaveLength(SEEN_MAX);
		expect(second.cursor.floor).toBe(newest - LOOKBACK_MS);
	});

	it('beyond SEEN_MAX IDs forgets whole timestamps, oldest first, and raises the floor above them', async () => {
		const { model, funnel } = setup();
		addLeads(funnel, 'old', 10, 0);
		const { fetchPage } = fetcherFor(model, funnel, LEAD);
		const first = await pollForNew(fetchPage, LEAD, null, 'f1:newLead');
		// SEEN_MAX + 4 contacts, three per timestamp: group g (burst3g to burst3g+2) at T0 + 60 s + g × 10 ms
		const groupAt = (group: number) => T0 + 60_000 + group * 10;
		for (let index = 0; index < SEEN_MAX + 4; index++) funnel.contacts.push(contactAt(`burst${index}`, groupAt(Math.floor(index / 3))));
		const second = await pollForNew(fetchPage, LEAD, first.cursor, 'f1:newLead');
		expect(second.fresh).toHaveLength(SEEN_MAX + 4);
		// The 5,001st newest is the last of group 1: all of groups 0 and 1 go (and the ten old ones
		// below them), not just the part of group 1 beyond the 5,000th, so 4,998 IDs stay.
		expect(seenIds(second.cursor)).toEqual(Array.from({ length: SEEN_MAX - 2 }, (_, index) => `burst${index + 6}`).sort());
		expect(second.cursor.floor).toBe(groupAt(1) + 1);
		const third = await pollForNew(fetchPage, LEAD, second.cursor, 'f1:newLead');
		expect(third.fresh).toEqual([]);
	});
});

describe('stored cursor, at its edges', () => {
	it('round-trips the cursor of an empty funnel', () => {
		const cursor: PollCursor = { key: 'f1:newLead', watermark: null, floor: null, seen: [] };
		expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
	});

	it.each([
		['JSON null', 'null'],
		['a number', '1'],
		['no key', JSON.stringify({ watermark: 1, floor: 0, seen: [] })],
		['a floor that is no time', JSON.stringify({ key: 'f1:newLead', watermark: 1, floor: 'x', seen: [] })],
		['a watermark missing', JSON.stringify({ key: 'f1:newLead', floor: 0, seen: [] })],
		['seen that is no list', JSON.stringify({ key: 'f1:newLead', watermark: 1, floor: 0, seen: 'x' })],
		['a seen entry that is no pair', JSON.stringify({ key: 'f1:newLead', watermark: 1, floor: 0, seen: ['c1'] })],
		['a seen entry without its time', JSON.stringify({ key: 'f1:newLead', watermark: 1, floor: 0, seen: [['c1', null]] })],
	])('reads as none when it holds %s', (_, stored) => {
		expect(decodeCursor(stored)).toBeNull();
	});
});

describe('a server that lists contacts without the time first', () => {
	it('skips them and still finds the leads after them', async () => {
		const fetchPage: FetchPage = async () => ({ data: [contactAt('visitor', null), contactAt('lead', T0)], hasNext: false });
		const previous: PollCursor = { key: 'f1:newLead', watermark: T0 - 1000, floor: T0 - 1000 - LOOKBACK_MS, seen: [] };
		const outcome = await pollForNew(fetchPage, LEAD, previous, 'f1:newLead');
		expect(ids(outcome.fresh)).toEqual(['lead']);
		expect(recordId((await newestSample(fetchPage, LEAD))!)).toBe('lead');
	});
});

describe('newestSample across pages', () => {
	it('finds the newest lead on a later page when a server lists a full page of visitors first', async () => {
		const pages = [
			Array.from({ length: 100 }, (_, index) => contactAt(`visitor${index}`, null)),
			[contactAt('lead', T0), contactAt('older', T0 - 1000)],
		];
		const fetchPage: FetchPage = async (page) => ({ data: pages[page] ?? [], hasNext: page + 1 < pages.length });
		expect(recordId((await newestSample(fetchPage, LEAD))!)).toBe('lead');
	});
});
