import {
	NodeApiError,
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INode,
	type INodeListSearchResult,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { funnelsOfWorkspaces, pathIdProblem } from '../api/contract';
import { fetchWorkspaces, type ApiContext } from '../transport/perspectiveApiRequest';

/** The funnel a node works on: picked from the list of the key's workspaces, or given by ID. */
export const funnelProperty: INodeProperties = {
	displayName: 'Funnel',
	name: 'funnel',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Perspective funnel',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a funnel...',
			typeOptions: { searchListMethod: 'searchFunnels', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 64f1c0ffee0123456789abcd',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[A-Za-z0-9_-]+$', errorMessage: 'A funnel ID holds letters, digits, - and _ only' },
				},
			],
		},
	],
};

/**
 * The funnel ID the Funnel parameter holds (its value with `extractValue`), or a precise error.
 * Checked here too, not only by the editor's regex: an expression bypasses that.
 */
export function requireFunnelId(value: unknown, node: INode, itemIndex?: number): string {
	const id = String(value ?? '').trim();
	if (id === '') throw new NodeOperationError(node, 'Funnel: pick a funnel or enter its ID', { itemIndex });
	const problem = pathIdProblem(id);
	if (problem !== null) throw new NodeOperationError(node, `Funnel: the ID ${problem}`, { itemIndex });
	return id;
}

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

/**
 * The funnel's name as its workspace lists it; '' when the key cannot see it, also when the key
 * may not list workspaces at all (403: a key limited to the CRM still polls).
 */
export async function funnelName(context: ApiContext, funnelId: string): Promise<string> {
	let workspaces;
	try {
		workspaces = await fetchWorkspaces(context);
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '403') return '';
		// NodeApiError hands an error that is one already back unchanged.
		throw new NodeApiError(context.getNode(), error as JsonObject);
	}
	return funnelsOfWorkspaces(workspaces).find((candidate) => candidate.id === funnelId)?.name ?? '';
}
