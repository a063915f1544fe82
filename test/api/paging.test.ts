import type { ApiRecord, ListPage } from '../../nodes/PerspectiveFunnel/api/contract';
import { PAGES_MAX, PagingError, collectPages, type FetchPage } from '../../nodes/PerspectiveFunnel/api/paging';

const records = (count: number, prefix = 'c') => Array.from({ length: count }, (_, index) => ({ id: `${prefix}${index}` }));

/** Pages over a list as the API does; records every request. */
function listOf(all: ApiRecord[]) {
	const asked: Array<[number, number]> = [];
	const fetchPage: FetchPage = async (page, limit): Promise<ListPage> => {
		asked.push([page, limit]);
		return { data: all.slice(page * limit, page * limit + limit), hasNext: (page + 1) * limit < all.length };
	};
	return { fetchPage, asked };
}

describe('collectPages', () => {
	it('follows every page with Return All, 100 at a time', async () => {
		const { fetchPage, asked } = listOf(records(250));
		const result = await collectPages(fetchPage, { returnAll: true });
		expect(result).toEqual(records(250));
		expect(asked).toEqual([[0, 100], [1, 100], [2, 100]]);
	});

	it('stops at the limit, across pages, without asking for more', async () => {
		const { fetchPage, asked } = listOf(records(500));
		expect(await collectPages(fetchPage, { returnAll: false, limit: 120 })).toEqual(records(120));
		expect(asked).toEqual([[0, 100], [1, 100]]);
	});

	it('asks for a small page when the limit is small', async () => {
		const { fetchPage, asked } = listOf(records(500));
		expect(await collectPages(fetchPage, { returnAll: false, limit: 7 })).toEqual(records(7));
		expect(asked).toEqual([[0, 7]]);
	});

	it('returns what there is when the list is shorter than the limit', async () => {
		const { fetchPage } = listOf(records(30));
		expect(await collectPages(fetchPage, { returnAll: false, limit: 50 })).toEqual(records(30));
	});

	it('asks nothing for a limit of 0', async () => {
		const { fetchPage, asked } = listOf(records(30));
		expect(await collectPages(fetchPage, { returnAll: false, limit: 0 })).toEqual([]);
		expect(asked).toEqual([]);
	});

	it('ends on an empty page even when the API claims there is more', async () => {
		const fetchPage: FetchPage = async (page) => ({ data: page === 0 ? records(100) : [], hasNext: true });
		expect(await collectPages(fetchPage, { returnAll: true })).toHaveLength(100);
	});

	it('returns a record once when the list shifts while it is read', async () => {
		const all = records(150);
		const fetchPage: FetchPage = async (page, limit) => {
			// a new record arrives at the head after the first page: page 1 starts one earlier
			const list = page === 0 ? all : [{ id: 'newcomer' }, ...all];
			return { data: list.slice(page * limit, page * limit + limit), hasNext: (page + 1) * limit < list.length };
		};
		const result = await collectPages(fetchPage, { returnAll: true });
		expect(result.map((record) => record.id)).toEqual(all.map((record) => record.id));
	});

	it('ends when a page brings no ID it has not seen: a server repeating itself with hasNext true', async () => {
		let asked = 0;
		const fetchPage: FetchPage = async () => {
			asked++;
			return { data: records(100), hasNext: true };
		};
		expect(await collectPages(fetchPage, { returnAll: true })).toEqual(records(100));
		expect(asked).toBe(2);
	});

	it('ends at the last page meta.total announces, even when hasNext says more', async () => {
		const asked: number[] = [];
		const fetchPage: FetchPage = async (page, limit) => {
			asked.push(page);
			return { data: records(limit, `p${page}_`), hasNext: true, total: 250 };
		};
		expect(await collectPages(fetchPage, { returnAll: true })).toHaveLength(300);
		expect(asked).toEqual([0, 1, 2]);
	});

	it('fails with a clear error at the page cap rather than reading forever', async () => {
		let asked = 0;
		const fetchPage: FetchPage = async (page, limit) => {
			asked++;
			return { data: records(limit, `p${page}_`), hasNext: true };
		};
		await expect(collectPages(fetchPage, { returnAll: true })).rejects.toThrow(PagingError);
		await expect(collectPages(fetchPage, { returnAll: true })).rejects.toThrow(/still announced more pages after 1000 pages/);
		expect(asked).toBe(2 * PAGES_MAX);
	});

	it('keeps no record without an ID, and ends when a page holds nothing else', async () => {
		let asked = 0;
		const fetchPage: FetchPage = async () => {
			asked++;
			return { data: [{ name: 'no id' }, { name: 'no id either' }], hasNext: true };
		};
		expect(await collectPages(fetchPage, { returnAll: true })).toEqual([]);
		expect(asked).toBe(1);
	});
});

describe('the bounds of one reading', () => {
	it('reads a list of exactly the most pages to its end without failing', async () => {
		const { fetchPage, asked } = listOf(records(PAGES_MAX * 100));
		expect(await collectPages(fetchPage, { returnAll: true })).toHaveLength(PAGES_MAX * 100);
		expect(asked).toHaveLength(PAGES_MAX);
	});

	it('says after how many pages and records it stopped', async () => {
		const fetchPage: FetchPage = async (page, limit) => ({ data: records(limit, `p${page}_`), hasNext: true });
		const error = await collectPages(fetchPage, { returnAll: true }).catch((caught: unknown) => caught);
		expect(String(error)).toBe(
			'PagingError: The Perspective API still announced more pages after 1000 pages (100000 records); stopped reading',
		);
	});

	it('asks for nothing when the limit is negative', async () => {
		const { fetchPage, asked } = listOf(records(30));
		expect(await collectPages(fetchPage, { returnAll: false, limit: -5 })).toEqual([]);
		expect(asked).toEqual([]);
	});
});
