import { PAGE_SIZE_MAX, recordId, type ApiRecord, type ListPage } from './contract';

/** Asks for one page (counted from 0) of a list with a given page size. */
export type FetchPage = (page: number, limit: number) => Promise<ListPage>;

export type HowMany = { returnAll: true } | { returnAll: false; limit: number };

/** The most pages one reading follows: 1,000 pages of 100 are 100,000 records. */
export const PAGES_MAX = 1_000;

/** Paging went on past every bound the API itself announced: stopped rather than loop. */
export class PagingError extends Error {
	constructor(readonly pagesRead: number) {
		super(
			`The Perspective API still announced more pages after ${pagesRead} pages (${pagesRead * PAGE_SIZE_MAX} records); stopped reading`,
		);
		this.name = 'PagingError';
	}
}

/**
 * The bounds of one reading of a list: it ends on the last page as the API announces it
 * (`hasNext`, or `meta.total` over the page size), on an empty page, on a page that brings no
 * ID not seen before (a server repeating itself), and it fails at `PAGES_MAX` pages.
 */
export class PageWalk {
	readonly seen = new Set<string>();
	pagesRead = 0;

	constructor(private readonly pageSize: number) {}

	/** The records of a page not met before on this walk, and whether to ask for the next. */
	take(page: ListPage): { fresh: ApiRecord[]; more: boolean } {
		this.pagesRead++;
		const fresh: ApiRecord[] = [];
		for (const record of page.data) {
			const id = recordId(record);
			if (id === null || this.seen.has(id)) continue;
			this.seen.add(id);
			fresh.push(record);
		}
		const lastByTotal = page.total !== undefined && this.pagesRead >= Math.ceil(page.total / this.pageSize);
		// An empty page brings no fresh record either: `fresh` is what ends on both.
		const more = page.hasNext && fresh.length > 0 && !lastByTotal;
		if (more && this.pagesRead >= PAGES_MAX) throw new PagingError(this.pagesRead);
		return { fresh, more };
	}
}

/**
 * Follows pages until the list ends (Return All) or `limit` records are in hand. The page size
 * stays the same on every page so that page numbers keep meaning the same offsets. A record
 * seen on an earlier page (the list shifted while we read it) is not returned twice.
 */
export async function collectPages(fetchPage: FetchPage, howMany: HowMany): Promise<ApiRecord[]> {
	const wanted = howMany.returnAll ? Infinity : Math.max(0, Math.floor(howMany.limit));
	// A limit of 0 asks for nothing: the loop below does not start.
	const pageSize = Math.min(PAGE_SIZE_MAX, wanted);
	const walk = new PageWalk(pageSize);
	const records: ApiRecord[] = [];
	for (let page = 0; records.length < wanted; page++) {
		const { fresh, more } = walk.take(await fetchPage(page, pageSize));
		records.push(...fresh.slice(0, wanted - records.length));
		if (!more) break;
	}
	return records;
}
