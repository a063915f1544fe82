import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['workspace'] } },
	options: [
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'Retrieve a list of the workspaces the API key can see, each with its funnels',
			action: 'Get many workspaces',
		},
	],
	default: 'getAll',
};

/** The fields of each operation, shown only for it. */
export const properties: INodeProperties[] = [
	...getAll.description,
];
