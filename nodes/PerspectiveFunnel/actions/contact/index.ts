import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as updateField from './updateField.operation';

export { create, get, getAll, updateField };

export const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['contact'] } },
	options: [
		{ name: 'Create', value: 'create', description: 'Create a contact in a funnel', action: 'Create contact' },
		{ name: 'Get', value: 'get', description: 'Get a contact of a funnel', action: 'Get contact' },
		{ name: 'Get Many', value: 'getAll', description: 'Get many contacts of a funnel', action: 'Get many contacts' },
		{
			name: 'Update Field',
			value: 'updateField',
			description: 'Set one field of a contact',
			action: 'Update contact field',
		},
	],
	default: 'getAll',
};

/** The fields of each operation, shown only for it. */
export const properties: INodeProperties[] = [
	...getAll.description,
	...get.description,
	...create.description,
	...updateField.description,
];
