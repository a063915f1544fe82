import { z } from 'zod';

import type { EpochMs } from '../funnel/types';
import {
	CONTACT_TIME_FIELDS,
	PAGE_SIZE_MAX,
	contactTime,
	recordId,
	type ApiRecord,
	type ContactTimeField,
} from './contract';
import { PageWalk, type FetchPage } from './paging';

/**
 * Which contacts a poll has already handed out, for one funnel and one event. Contacts are read
 * newest first by the event's time; everything at or after `floor` is compared by ID with
 * `seen`, everything older was settled by earlier polls and ends the reading.
 */
export interface PollCursor {
	/** Funnel ID and event the cursor belongs to; another key starts a new baseline. */
	key: string;
	/** The newest event time seen; null while the funnel had no contact with that time. */
	watermark: EpochMs | null;
	/** Contacts older than this are never emitted; null: no lower bound yet. */
	floor: EpochMs | null;
	/** IDs at or after `floor` already seen, with their event time. */
	seen: Array<[string, EpochMs]>;
}

/**
 * How far behind the newest time a poll still looks. A contact that becomes visible in the API
 * later than its own timestamp (by less than this) is still caught, once.
 */
export const LOOKBACK_MS = 5 * 60_000;
/** Most IDs remembered; beyond it the floor rises above the oldest forgotten time. */
export const SEEN_MAX = 5_000;

export interface PollOutcome {
	/** Contacts not handed out before, oldest first; always empty on a baseline. */
	fresh: ApiRecord[];
	cursor: PollCursor;
	/** True when this poll only set the starting point. */
	baseline: boolean;
	pagesRead: number;
}

interface Found {
	record: ApiRecord;
	id: string;
	at: EpochMs;
}

/**
 * Reads pages newest first until it passes the floor, and returns what is new. New contacts
 * arriving while it reads push records onto later pages: they are met twice and counted once.
 * Records without the event time (a contact not converted yet) are skipped; once timed records
 * have been met, the first untimed one ends the list (the API sorts missing values last).
 */
export async function pollForNew(
	fetchPage: FetchPage,
	timeField: ContactTimeField,
	previous: PollCursor | null,
	key: string,
): Promise<PollOutcome> {
	const baseline = previous === null || previous.key !== key;
	let floor = baseline ? null : previous.floor;
	const found: Found[] = [];
	let sawTimed = false;
	const walk = new PageWalk(PAGE_SIZE_MAX);

	reading: for (let page = 0; ; page++) {
		const { fresh, more } = walk.take(await fetchPage(page, PAGE_SIZE_MAX));
		for (const record of fresh) {
			const at = contactTime(record, timeField);
			if (at === null) {
				if (sawTimed) break reading;
				continue;
			}
			sawTimed = true;
			// On a baseline the newest record fixes how far back this first reading goes.
			if (baseline && floor === null) floor = at - LOOKBACK_MS;
			if (floor !== null && at < floor) break reading;
			found.push({ record, id: recordId(record) as string, at });
		}
		if (!more) break;
	}

	const seen = new Map<string, EpochMs>(baseline ? [] : previous.seen);
	const fresh = baseline ? [] : found.filter((entry) => !seen.has(entry.id));
	for (const entry of found) seen.set(entry.id, entry.at);
	// Same time: by ID, whatever order the API gave. The page walk keeps each ID once, so two
	// entries never have the same ID and there is no third case.
	// Stryker disable next-line EqualityOperator: the IDs compared are never equal, so < and <= order alike
	fresh.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));

	return {
		fresh: fresh.map((entry) => entry.record),
		cursor: advanceCursor(key, baseline ? null : previous.watermark, floor, seen, found),
		baseline,
		pagesRead: walk.pagesRead,
	};
}

function advanceCursor(
	key: string,
	previousWatermark: EpochMs | null,
	floorRead: EpochMs | null,
	seen: Map<string, EpochMs>,
	found: Found[],
): PollCursor {
	let watermark = previousWatermark;
	for (const entry of found) watermark = Math.max(watermark ?? entry.at, entry.at);
	let floor = floorRead;
	if (watermark !== null) floor = Math.max(floor ?? -Infinity, watermark - LOOKBACK_MS);

	let kept = [...seen].filter(([, at]) => floor === null || at >= floor);
	if (kept.length > SEEN_MAX) {
		kept.sort((a, b) => b[1] - a[1]);
		// Forget whole timestamps, never half of one: the floor rises above the forgotten time.
		const cutoff = kept[SEEN_MAX][1];
		kept = kept.filter(([, at]) => at > cutoff);
		floor = cutoff + 1;
	}
	return { key, watermark, floor, seen: kept };
}

/** The cursor as stored in static data: one JSON string (n8n wraps nested objects in proxies). */
export function encodeCursor(cursor: PollCursor): string {
	return JSON.stringify(cursor);
}

const cursorSchema = z.object({
	key: z.string(),
	watermark: z.number().nullable(),
	floor: z.number().nullable(),
	seen: z.array(z.tuple([z.string(), z.number()])),
});

/** A stored cursor, or null when there is none or it cannot be read (a new baseline follows). */
export function decodeCursor(stored: unknown): PollCursor | null {
	if (typeof stored !== 'string') return null;
	try {
		const checked = cursorSchema.safeParse(JSON.parse(stored));
		return checked.success ? checked.data : null;
	} catch {
		// Not JSON: treated as no cursor, so the next poll sets a new baseline.
		return null;
	}
}

/** The newest record that has the event time: the editor's sample. */
export async function newestSample(fetchPage: FetchPage, timeField: ContactTimeField): Promise<ApiRecord | null> {
	const walk = new PageWalk(PAGE_SIZE_MAX);
	for (let page = 0; ; page++) {
		const { fresh, more } = walk.take(await fetchPage(page, PAGE_SIZE_MAX));
		const timed = fresh.find((record) => contactTime(record, timeField) !== null);
		if (timed) return timed;
		if (!more) return null;
	}
}

/**
 * What each event of the poll trigger watches, and the name its items carry. The contact list
 * sorts only by `ps_converted_at`, `email`, `firstName` and `lastName`: New Lead is the one
 * event a sorted reading can find; first-seen times cannot be sorted by.
 */
export const POLLED_EVENTS = {
	newLead: { timeField: CONTACT_TIME_FIELDS.convertedAt, itemEvent: 'new_lead' },
} as const;

export type PolledEvent = keyof typeof POLLED_EVENTS;
