import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { ADDRESS_FIELDS, fieldNameProblem, readFieldValueAnswer } from '../../api/contract';
import { funnelPath, perspectiveRecordRequest } from '../../transport/perspectiveApiRequest';
import { V1, V1_1, contactIdOf, contactProperties } from '../common.description';
import { funnelIdOf, parameterRefusal } from '../funnelParameter';

/** The contact's own fields by the names Perspective's forms give them, and the name the API takes. */
const CONTACT_FIELDS: Array<[name: string, value: string]> = [
	['Birthday', 'birthday'],
	['City', 'city'],
	['Country', 'country'],
	['Email', 'email'],
	['First Name', 'firstName'],
	['House Number', 'houseNumber'],
	['Last Name', 'lastName'],
	['Phone', 'phone'],
	['Postal Code', 'postalCode'],
	['State', 'state'],
	['Status', 'status'],
	['Street', 'street'],
	['Website', 'website'],
];

/** The Field option that asks for a name of one's own. */
const CUSTOM_FIELD = '__custom';

const properties: INodeProperties[] = [
	...contactProperties,
	{
		// Version 1: the field's name as the API knows it, typed by hand.
		displayName: 'Field Name',
		name: 'fieldName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. status, city or quiz_answer',
		description: `A standard field (<code>firstName</code>, <code>lastName</code>, <code>email</code>, <code>phone</code>, <code>status</code>, <code>website</code>, <code>birthday</code>), an address part by its own name (${ADDRESS_FIELDS.map((part) => `<code>${part}</code>`).join(', ')}; <code>zip</code> means <code>postalCode</code>), or any other name, which Perspective keeps as a custom property. Names starting with <code>ps_</code> are Perspective's own and cannot be set.`,
		displayOptions: V1,
	},
	{
		// Version 1.1: the contact's fields by their names in Perspective, or a name of one's own.
		displayName: 'Field',
		name: 'field',
		type: 'options',
		required: true,
		default: 'status',
		description: "The contact's field to change, or Custom Field for an answer or a property of your own",
		options: [
			...CONTACT_FIELDS.map(([name, value]) => ({ name, value })),
			{ name: 'Custom Field', value: CUSTOM_FIELD, description: 'A field of your own, named below' },
		].sort((a, b) => a.name.localeCompare(b.name)),
		displayOptions: V1_1,
	},
	{
		displayName: 'Custom Field Name',
		name: 'fieldName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. quiz_answer',
		description:
			'The name Perspective knows the field by, as it appears in a contact of Get Many; a new name becomes a new property of the contact',
		displayOptions: { show: { '@version': [1.1], field: [CUSTOM_FIELD] } },
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

/** The API's name of the field to set: typed (version 1, or Custom Field) or chosen from the list. */
function fieldNameOf(context: IExecuteFunctions, itemIndex: number): string {
	const field = context.getNode().typeVersion >= 1.1 ? String(context.getNodeParameter('field', itemIndex, CUSTOM_FIELD)) : CUSTOM_FIELD;
	const fieldName = field === CUSTOM_FIELD ? String(context.getNodeParameter('fieldName', itemIndex, '') ?? '').trim() : field;
	const refusal = fieldNameProblem(fieldName);
	if (refusal !== null) {
		const label = field === CUSTOM_FIELD && context.getNode().typeVersion >= 1.1 ? 'Custom Field Name' : 'Field Name';
		throw parameterRefusal(context.getNode(), `${label}: ${refusal.problem}`, refusal.fix, itemIndex);
	}
	return fieldName;
}

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['updateField'] } }, properties);

/**
 * `PUT /v1/funnels/{funnelId}/contacts/{contactId}/values` with `{ fieldName, value,
 * skipAutomationTrigger? }`: one field. The answer is the value record
 * `{ id, fieldName, value, updatedAt }`, returned as the item.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const funnelId = funnelIdOf(this, itemIndex);
	const contactId = contactIdOf(this, itemIndex);
	const fieldName = fieldNameOf(this, itemIndex);
	const raw = this.getNodeParameter('value', itemIndex, '') as unknown;
	const value = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
	const { skipAutomationTrigger } = this.getNodeParameter('options', itemIndex, {}) as { skipAutomationTrigger?: boolean };
	const body: IDataObject = { fieldName, value };
	if (skipAutomationTrigger !== undefined) body.skipAutomationTrigger = skipAutomationTrigger;
	const record = await perspectiveRecordRequest.call(this, 'PUT', funnelPath(funnelId, 'contacts', contactId, 'values'), readFieldValueAnswer, {
		body,
		itemIndex,
	});
	return [{ json: record as IDataObject }];
}
