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
			description: "Perspective's own webhook body (ID, funnelName, meta, profile) plus the event name",
		},
		{
			name: 'Simplified',
			value: 'simplified',
			description: 'Meta at the top level and a fields object holding only the values',
		},
	],
};
