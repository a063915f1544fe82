import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idMode, requiredId } from './funnelParameter';

/** Return All and Limit, as n8n's list operations offer them. */
export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Node versions of the Perspective Funnel node: 1.1 turned Contact ID into a resource locator. */
export const V1 = { show: { '@version': [1] } };
export const V1_1 = { show: { '@version': [1.1] } };

/** Contact ID as version 1 nodes keep it: a plain string. */
export const contactIdV1: INodeProperties = {
	displayName: 'Contact ID',
	name: 'contactId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 64f1c0ffee0123456789abcd',
	description: 'The ID Perspective gave the contact (the ID field of a trigger item or of Get Many)',
	displayOptions: V1,
};

/**
 * Contact from version 1.1: picked from the funnel's contacts (`searchContacts`, newest lead
 * first) or given by ID. No URL mode: no public source shows the address of a contact in
 * Perspective's app, so none can be read (docs/n8n-review.md, row 4).
 */
export const contactLocator: INodeProperties = {
	displayName: 'Contact',
	name: 'contactId',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	description: "The contact, from the funnel's contacts (newest lead first) or by ID",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a contact...',
			typeOptions: { searchListMethod: 'searchContacts', searchable: true },
		},
		idMode('contact'),
	],
	displayOptions: V1_1,
};

/** Both shapes of the contact parameter; each node version shows its own. */
export const contactProperties: INodeProperties[] = [contactIdV1, contactLocator];

/** The contact's ID, from either shape, or a precise error before any request. */
export function contactIdOf(context: IExecuteFunctions, itemIndex: number): string {
	const label = context.getNode().typeVersion >= 1.1 ? 'Contact' : 'Contact ID';
	return requiredId(context, 'contactId', label, itemIndex, true);
}

/** Simplify, as n8n's own nodes offer it where an answer has more than 10 fields. */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};
