import { NodeOperationError, type IExecuteFunctions, type INode, type INodeProperties } from 'n8n-workflow';

import { pathIdProblem } from '../api/contract';

/**
 * The funnel a node works on: picked from the list of the key's workspaces
 * (`methods/listSearch.ts`), or given by ID. The REST API node's, shared with the poll trigger.
 */
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

/** The funnel ID of the Funnel parameter, whichever way it was given. */
export function funnelIdOf(context: IExecuteFunctions, itemIndex: number): string {
	return requireFunnelId(context.getNodeParameter('funnel', itemIndex, '', { extractValue: true }), context.getNode(), itemIndex);
}

/** A required text parameter, trimmed; a precise error when it is empty. */
export function requiredText(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (value === '') throw new NodeOperationError(context.getNode(), `${label}: a value is required`, { itemIndex });
	return value;
}

/**
 * A required ID that goes into the request path: a plain ID, or a precise error before any
 * request (`.` and `..` would change the endpoint; an expression bypasses the editor's checks).
 */
export function requiredId(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = requiredText(context, name, label, itemIndex);
	const problem = pathIdProblem(value);
	if (problem !== null) throw new NodeOperationError(context.getNode(), `${label}: the ID ${problem}`, { itemIndex });
	return value;
}
