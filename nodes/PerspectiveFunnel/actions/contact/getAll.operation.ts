import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { CONTACT_TIME_FIELDS } from '../../api/contract';
import { collectPages } from '../../api/paging';
import { funnelPath, listFetcher } from '../../transport/perspectiveApiRequest';
import { returnAllAndLimit } from '../common.description';
import { funnelIdOf } from '../funnelParameter';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
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
				default: 'ps_first_seen_at',
				options: [
					{ name: 'Converted At', value: 'ps_converted_at' },
					{ name: 'First Seen At', value: 'ps_first_seen_at' },
				],
			},
			{
				displayName: 'Sort Order',
				name: 'sortOrder',
				type: 'options',
				default: -1,
				options: [
					{ name: 'Newest First', value: -1 },
					{ name: 'Oldest First', value: 1 },
				],
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const funnelId = funnelIdOf(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as { sortField?: string; sortOrder?: number };
	const qs = { sortField: options.sortField ?? CONTACT_TIME_FIELDS.firstSeenAt, sortOrder: options.sortOrder ?? -1 };
	const fetchPage = listFetcher(this, funnelPath(funnelId, 'contacts'), qs, itemIndex);
	const contacts = await collectPages(
		fetchPage,
		returnAll ? { returnAll } : { returnAll, limit: this.getNodeParameter('limit', itemIndex) as number },
	);
	return contacts.map((contact) => ({ json: contact as IDataObject }));
}
