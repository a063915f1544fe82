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
		{ name: 'Create', value: 'create', description: 'Create a new contact in a funnel from an email address or phone number', action: 'Create contact' },
		{ name: 'Get', value: 'get', description: 'Retrieve one contact of a funnel, with its fields and when it converted', action: 'Get contact' },
		{ name: 'Get Many', value: 'getAll', description: "Retrieve a list of a funnel's contacts, newest lead first unless sorted otherwise", action: 'Get many contacts' },
		{
			name: 'Update Field',
			value: 'updateField',
			description: 'Update one field of a contact, such as its status, an address part or an answer',
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
