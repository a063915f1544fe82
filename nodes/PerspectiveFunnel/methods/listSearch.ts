import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { simplifiedContact } from '../api/contactItem';
import { CONTACT_SORT_FIELDS, PAGE_SIZE_MAX, funnelsOfWorkspaces, recordId, type ApiRecord } from '../api/contract';
import { parameterRefusal, requireFunnelId } from '../actions/funnelParameter';
import { fetchWorkspaces, funnelPath, listFetcher } from '../transport/perspectiveApiRequest';

/**
 * The editor's searchable lists (`methods.listSearch`) of the REST API node, which the poll
 * trigger shares for its Funnel parameter.
 */

/** Funnels whose name, workspace or ID contains the filter, named "Funnel (Workspace)". */
export async function searchFunnels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const funnels = funnelsOfWorkspaces(await fetchWorkspaces(this));
	return {
		results: funnels
			.filter((funnel) => needle === '' || `${funnel.name} ${funnel.workspaceName} ${funnel.id}`.toLowerCase().includes(needle))
			.map((funnel) => ({ name: `${funnel.name} (${funnel.workspaceName})`, value: funnel.id })),
	};
}

/** How many pages of contacts one call of the list reads at most while it looks for matches. */
export const CONTACT_PAGES_PER_SEARCH = 5;

/** "Ada Lovelace (ada@example.com)", or whatever of name, email and phone the contact has. */
export function contactLabel(contact: ApiRecord): string {
	const { id, email, phone, firstName, lastName } = simplifiedContact(contact);
	const name = [firstName, lastName].filter((part) => typeof part === 'string').join(' ');
	const reach = (email ?? phone ?? null) as string | null;
	if (name !== '' && reach !== null) return `${name} (${reach})`;
	return name || reach || String(id);
}

/**
 * The contacts of the node's funnel, newest lead first, whose name, email, phone or ID contains
 * the filter. The API has no search, so the list pages through the contacts: up to
 * CONTACT_PAGES_PER_SEARCH pages of 100 per call, and the editor asks for more (the next page
 * as `paginationToken`) when the user scrolls down.
 */
export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const funnelValue = this.getNodeParameter('funnel', '', { extractValue: true });
	if (String(funnelValue ?? '').trim() === '') {
		throw parameterRefusal(
			this.getNode(),
			'No funnel was chosen, so there are no contacts to list',
			'Choose the Funnel first, then open the list of contacts again',
		);
	}
	const funnelId = requireFunnelId(funnelValue, this.getNode());
	const needle = (filter ?? '').trim().toLowerCase();
	const fetchPage = listFetcher(this, funnelPath(funnelId, 'contacts'), { sortField: CONTACT_SORT_FIELDS[0], sortOrder: -1 });
	const results: INodeListSearchItems[] = [];
	let page = Math.max(0, Number.parseInt(paginationToken ?? '0', 10) || 0);
	for (let read = 0; read < CONTACT_PAGES_PER_SEARCH; read++, page++) {
		const { data, hasNext } = await fetchPage(page, PAGE_SIZE_MAX);
		for (const contact of data) {
			const id = recordId(contact);
			if (id === null) continue;
			const name = contactLabel(contact);
			if (needle === '' || `${name} ${contact.phone ?? ''} ${id}`.toLowerCase().includes(needle)) results.push({ name, value: id });
		}
		if (!hasNext || data.length === 0) return { results };
		// Without a filter one page fills the list; the editor asks for the next when scrolled.
		if (needle === '' || results.length >= PAGE_SIZE_MAX) return { results, paginationToken: String(page + 1) };
	}
	return { results, paginationToken: String(page) };
}
