import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { readContactAnswer } from '../../api/contract';
import { funnelPath, perspectiveRecordRequest } from '../../transport/perspectiveApiRequest';
import { funnelIdOf, parameterRefusal } from '../funnelParameter';

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'e.g. nathan@example.com',
		default: '',
		description: 'Email or phone is required',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		placeholder: 'e.g. +49 151 23456789',
		default: '',
		description: 'Email or phone is required',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			{
				displayName: 'Address',
				name: 'address',
				type: 'fixedCollection',
				default: {},
				options: [
					{
						displayName: 'Address',
						name: 'value',
						values: [
							{ displayName: 'City', name: 'city', type: 'string', default: '' },
							{ displayName: 'Country', name: 'country', type: 'string', default: '' },
							{ displayName: 'House Number', name: 'houseNumber', type: 'string', default: '' },
							{ displayName: 'Postal Code', name: 'postalCode', type: 'string', default: '' },
							{ displayName: 'State', name: 'state', type: 'string', default: '', description: 'State or region' },
							{ displayName: 'Street', name: 'street', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Birthday',
				name: 'birthday',
				type: 'string',
				placeholder: 'e.g. 1990-04-30',
				default: '',
			},
			{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
			{
				displayName: 'Skip Automation Trigger',
				name: 'skipAutomationTrigger',
				type: 'boolean',
				default: false,
				description: "Whether Perspective should not run the funnel's automations (webhooks included) for this contact",
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'string',
				default: '',
				placeholder: 'e.g. lead',
				description:
					"One of the statuses configured for the funnel's CRM; automations of that status run unless Skip Automation Trigger is on",
			},
			{ displayName: 'Website', name: 'website', type: 'string', default: '' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['create'] } }, properties);

interface AdditionalFields {
	address?: { value?: Record<string, string> };
	birthday?: string;
	firstName?: string;
	lastName?: string;
	skipAutomationTrigger?: boolean;
	status?: string;
	website?: string;
}

const ADDRESS_KEYS = ['street', 'houseNumber', 'postalCode', 'city', 'state', 'country'] as const;

/**
 * The body of `POST /v1/funnels/{funnelId}/contacts`: only what was given, email or phone
 * required, the address as one object. `meta`, `utmParams` and `properties` cannot be set here.
 */
export function contactCreateBody(email: string, phone: string, fields: AdditionalFields): IDataObject | null {
	const body: IDataObject = {};
	if (email.trim() !== '') body.email = email.trim();
	if (phone.trim() !== '') body.phone = phone.trim();
	if (body.email === undefined && body.phone === undefined) return null;
	for (const key of ['firstName', 'lastName', 'status', 'website', 'birthday'] as const) {
		const value = fields[key]?.trim();
		if (value) body[key] = value;
	}
	const given = fields.address?.value ?? {};
	const address: Record<string, string> = {};
	for (const key of ADDRESS_KEYS) {
		const value = given[key];
		if (typeof value === 'string' && value.trim() !== '') address[key] = value.trim();
	}
	if (Object.keys(address).length > 0) body.address = address;
	if (fields.skipAutomationTrigger !== undefined) body.skipAutomationTrigger = fields.skipAutomationTrigger;
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const funnelId = funnelIdOf(this, itemIndex);
	const body = contactCreateBody(
		this.getNodeParameter('email', itemIndex, '') as string,
		this.getNodeParameter('phone', itemIndex, '') as string,
		this.getNodeParameter('additionalFields', itemIndex, {}) as AdditionalFields,
	);
	if (body === null) {
		throw parameterRefusal(
			this.getNode(),
			'Neither Email nor Phone was given',
			'Perspective creates a contact from an email address or a phone number: fill in at least one of them',
			itemIndex,
		);
	}
	const contact = await perspectiveRecordRequest.call(this, 'POST', funnelPath(funnelId, 'contacts'), (answer) => readContactAnswer(answer, 'Create'), {
		body,
		itemIndex,
	});
	return [{ json: contact as IDataObject }];
}
