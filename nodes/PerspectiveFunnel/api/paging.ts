import { PAGE_SIZE_MAX, recordId, type ApiRecord, type ListPage } from './contract';

/** Asks for one page (counted from 0) of a list with a given page size. */
export type FetchPage = (page: number, limit: number) => Promise<ListPage>;

export type HowMany = { returnAll: true } | { returnAll: false; limit: number };

/**
 * Follows pages until the list ends (Return All) or `limit` records are in hand. The page size
 * stays the same on every page so that page numbers keep meaning the same offsets. A record
 * seen on an earlier page (the list shifted while we read it) is not returned twice.
 */
export async function collectPages(fetchPage: FetchPage, howMany: HowMany): Promise<ApiRecord[]> {
	const wanted = howMany.returnAll ? Infinity : Math.max(0, Math.floor(howMany.limit));
	if (wanted === 0) return [];
	const pageSize = Math.min(PAGE_SIZE_MAX, wanted);
	const records: ApiRecord[] = [];
	const seen = new Set<string>();
	for (let page = 0; records.length < wanted; page++) {
		const { data, hasNext } = await fetchPage(page, pageSize);
		for (const record of data) {
			const id = recordId(record);
			if (id !== null) {
				if (seen.has(id)) continue;
				seen.add(id);
			}
			records.push(record);
			if (records.length === wanted) break;
		}
		// An empty page ends the list even when `hasNext` says otherwise: never loop forever.
		if (!hasNext || data.length === 0) break;
	}
	return records;
}
