import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { unwrapRecord } from '../../api/contract';
import { funnelPath, perspectiveApiRequest } from '../../transport/perspectiveApiRequest';
import { contactIdProperty } from '../common.description';
import { funnelIdOf, requiredText } from '../funnelParameter';

const properties: INodeProperties[] = [
	contactIdProperty,
	{
		displayName: 'Field Name',
		name: 'field',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. firstName or address.city',
		description: 'The identifier of the field in the funnel (standard fields such as firstName, or a custom identifier)',
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		description: 'The new value; empty clears the field',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['updateField'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const funnelId = funnelIdOf(this, itemIndex);
	const contactId = requiredText(this, 'contactId', 'Contact ID', itemIndex);
	const field = requiredText(this, 'field', 'Field Name', itemIndex);
	const value = String(this.getNodeParameter('value', itemIndex, '') ?? '');
	const answer = await perspectiveApiRequest.call(this, 'PUT', funnelPath(funnelId, 'contacts', contactId, 'values'), {
		body: { field, value },
		itemIndex,
	});
	const record = unwrapRecord(answer);
	return [{ json: (record ?? { id: contactId, field, value }) as IDataObject }];
}
