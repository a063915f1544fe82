import type { INodeProperties } from 'n8n-workflow';

/** Parameters both triggers offer: the webhook trigger (and its Redis twin) and the poll trigger. */

/** How items look: Perspective's webhook body, or flat. */
export const outputFormatOption: INodeProperties = {
	displayName: 'Output Format',
	name: 'outputFormat',
	type: 'options',
	default: 'webhook',
	options: [
		{
			name: 'Perspective Webhook',
			value: 'webhook',
			description: "The contact exactly as Perspective's webhook sends it, with the name of the event added",
		},
		{
			name: 'Simplified',
			value: 'simplified',
			description: "The contact's details at the top level and only the values of its answers, without their titles",
		},
	],
};
