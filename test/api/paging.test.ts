import type { ApiRecord, ListPage } from '../../nodes/PerspectiveFunnel/api/contract';
import { collectPages, type FetchPage } from '../../nodes/PerspectiveFunnel/api/paging';

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
});
