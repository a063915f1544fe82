import {
	NodeOperationError,
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
import { returnAllAndLimit, simplifyProperty } from '../common.description';
import { funnelIdOf } from '../funnelParameter';

const SORT_NAMES: Record<(typeof CONTACT_SORT_FIELDS)[number], string> = {
	ps_converted_at: 'Converted At',
	email: 'Email',
	firstName: 'First Name',
	lastName: 'Last Name',
};

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	simplifyProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Sort By',
				name: 'sortField',
				type: 'options',
				default: 'ps_converted_at',
				description: 'The fields the Perspective API can sort contacts by',
				options: CONTACT_SORT_FIELDS.map((value) => ({ name: SORT_NAMES[value], value })).sort((a, b) =>
					a.name.localeCompare(b.name),
				),
			},
			{
				displayName: 'Sort Order',
				name: 'sortOrder',
				type: 'options',
				default: -1,
				options: [
					{ name: 'Ascending', value: 1 },
					{ name: 'Descending', value: -1, description: 'By Converted At: newest first' },
				],
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['getAll'] } }, properties);

/** `GET /v1/funnels/{funnelId}/contacts?sortField&sortOrder&page&limit`, page after page. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const funnelId = funnelIdOf(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as { sortField?: string; sortOrder?: number };
	const sortField = options.sortField ?? CONTACT_SORT_FIELDS[0];
	if (!(CONTACT_SORT_FIELDS as readonly string[]).includes(sortField)) {
		throw new NodeOperationError(
			this.getNode(),
			`Sort By: the Perspective API sorts contacts only by ${CONTACT_SORT_FIELDS.join(', ')}, not "${String(sortField).slice(0, 60)}"`,
			{ itemIndex },
		);
	}
	const sortOrder = Number(options.sortOrder ?? -1);
	if (sortOrder !== 1 && sortOrder !== -1) {
		throw new NodeOperationError(this.getNode(), 'Sort Order: must be 1 (ascending) or -1 (descending)', { itemIndex });
	}
	const fetchPage = listFetcher(this, funnelPath(funnelId, 'contacts'), { sortField, sortOrder }, itemIndex);
	const contacts = await collectPages(
		fetchPage,
		returnAll ? { returnAll } : { returnAll, limit: this.getNodeParameter('limit', itemIndex) as number },
	);
	return contacts.map((contact) => ({ json: (simplify ? simplifiedContact(contact) : contact) as IDataObject }));
}
