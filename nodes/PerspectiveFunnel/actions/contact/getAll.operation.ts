import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { simplifiedContact } from '../../api/contactItem';
import { CONTACT_SORT_FIELDS } from '../../api/contract';
import { collectPages } from '../../api/paging';
import { funnelPath, listFetcher } from '../../transport/perspectiveApiRequest';
import { V1, V1_1, returnAllAndLimit, simplifyProperty } from '../common.description';
import { funnelIdOf, parameterRefusal } from '../funnelParameter';

const SORT_NAMES: Record<(typeof CONTACT_SORT_FIELDS)[number], string> = {
	ps_converted_at: 'Converted At',
	email: 'Email',
	firstName: 'First Name',
	lastName: 'Last Name',
};

const sortByProperty: INodeProperties = {
	displayName: 'Sort By',
	name: 'sortField',
	type: 'options',
	default: 'ps_converted_at',
	description: 'What Perspective can sort contacts by',
	options: CONTACT_SORT_FIELDS.map((value) => ({ name: SORT_NAMES[value], value })).sort((a, b) => a.name.localeCompare(b.name)),
};

const sortOrderProperty: INodeProperties = {
	displayName: 'Sort Order',
	name: 'sortOrder',
	type: 'options',
	default: -1,
	options: [
		{ name: 'Ascending', value: 1 },
		{ name: 'Descending', value: -1, description: 'By Converted At: newest first' },
	],
};

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	simplifyProperty,
	{
		// Version 1 kept sorting inside Options; its saved workflows still read it there.
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [sortByProperty, sortOrderProperty],
		displayOptions: V1,
	},
	{
		// From version 1.1, sorting has its own collection, as n8n's UX guidelines ask.
		displayName: 'Sort',
		name: 'sort',
		type: 'fixedCollection',
		placeholder: 'Add Sort Rule',
		default: {},
		description: 'The order in which contacts are returned; newest lead first when not set',
		options: [{ displayName: 'Sort Rule', name: 'rule', values: [sortByProperty, sortOrderProperty] }],
		displayOptions: V1_1,
	},
];

interface SortRule {
	sortField?: string;
	sortOrder?: number;
}

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['getAll'] } }, properties);

/** `GET /v1/funnels/{funnelId}/contacts?sortField&sortOrder&page&limit`, page after page. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const funnelId = funnelIdOf(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	// Version 1 keeps the sort in Options, 1.1 in Sort → Sort Rule; a node has only one of them.
	const options = this.getNodeParameter('options', itemIndex, {}) as SortRule;
	const { rule } = this.getNodeParameter('sort', itemIndex, {}) as { rule?: SortRule };
	const { sortField = CONTACT_SORT_FIELDS[0], sortOrder: order = -1 } = { ...options, ...rule };
	if (!(CONTACT_SORT_FIELDS as readonly string[]).includes(sortField)) {
		throw parameterRefusal(
			this.getNode(),
			`Perspective cannot sort contacts by "${String(sortField).slice(0, 60)}"`,
			`Choose Sort By from its list (Converted At, Email, First Name or Last Name); an expression must give one of ${CONTACT_SORT_FIELDS.join(', ')}`,
			itemIndex,
		);
	}
	const sortOrder = Number(order);
	if (sortOrder !== 1 && sortOrder !== -1) {
		throw parameterRefusal(
			this.getNode(),
			'Sort Order is neither ascending nor descending',
			'Choose Ascending or Descending; an expression must give 1 (ascending) or -1 (descending)',
			itemIndex,
		);
	}
	const fetchPage = listFetcher(this, funnelPath(funnelId, 'contacts'), { sortField, sortOrder }, itemIndex);
	const contacts = await collectPages(
		fetchPage,
		returnAll ? { returnAll } : { returnAll, limit: this.getNodeParameter('limit', itemIndex) as number },
	);
	return contacts.map((contact) => ({ json: (simplify ? simplifiedContact(contact) : contact) as IDataObject }));
}
