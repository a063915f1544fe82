import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { ADDRESS_FIELDS, fieldNameProblem, unwrapRecord } from '../../api/contract';
import { funnelPath, perspectiveApiRequest } from '../../transport/perspectiveApiRequest';
import { contactIdProperty } from '../common.description';
import { funnelIdOf, requiredId } from '../funnelParameter';

const properties: INodeProperties[] = [
	contactIdProperty,
	{
		displayName: 'Field Name',
		name: 'fieldName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. status, city or quiz_answer',
		description: `A standard field (firstName, lastName, email, phone, status, website, birthday), an address part by its own name (${ADDRESS_FIELDS.join(', ')}; zip means postalCode), or any other name, which Perspective keeps as a custom property. Names starting with ps_ are Perspective's own and cannot be set.`,
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		description: 'The new value, sent as text',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Skip Automation Trigger',
				name: 'skipAutomationTrigger',
				type: 'boolean',
				default: false,
				description: "Whether Perspective should not run the funnel's automations for this change",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['updateField'] } }, properties);

/**
 * `PUT /v1/funnels/{funnelId}/contacts/{contactId}/values` with `{ fieldName, value,
 * skipAutomationTrigger? }`: one field. The answer is the value record
 * `{ id, fieldName, value, updatedAt }`, returned as the item.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const funnelId = funnelIdOf(this, itemIndex);
	const contactId = requiredId(this, 'contactId', 'Contact ID', itemIndex);
	const fieldName = String(this.getNodeParameter('fieldName', itemIndex, '') ?? '').trim();
	const problem = fieldNameProblem(fieldName);
	if (problem !== null) throw new NodeOperationError(this.getNode(), `Field Name: ${problem}`, { itemIndex });
	const raw = this.getNodeParameter('value', itemIndex, '') as unknown;
	const value = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
	const { skipAutomationTrigger } = this.getNodeParameter('options', itemIndex, {}) as { skipAutomationTrigger?: boolean };
	const body: IDataObject = { fieldName, value };
	if (skipAutomationTrigger !== undefined) body.skipAutomationTrigger = skipAutomationTrigger;
	const answer = await perspectiveApiRequest.call(this, 'PUT', funnelPath(funnelId, 'contacts', contactId, 'values'), {
		body,
		itemIndex,
	});
	return [{ json: (unwrapRecord(answer) ?? {}) as IDataObject }];
}
