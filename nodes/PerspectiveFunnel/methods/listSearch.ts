import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { funnelsOfWorkspaces } from '../api/contract';
import { fetchWorkspaces } from '../transport/perspectiveApiRequest';

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
