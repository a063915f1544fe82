import type { INodeProperties } from 'n8n-workflow';

import { outputFormatOption } from '../shared/description';

export const setupNotice: INodeProperties = {
	displayName:
		'In Perspective, open the funnel, then Integrations → Webhooks, and paste the Production URL from Webhook URLs above twice: with <code>?trigger=new_lead</code> appended as New Lead, with <code>?trigger=funnel_completed</code> as Funnel Completed (Perspective refuses the same URL twice). With a secret token, also append <code>&token=&lt;secret&gt;</code>. Then publish the workflow (activate it, in n8n 1). The panel on the left says how to test first.',
	name: 'setupNotice',
	type: 'notice',
	default: '',
};

/** The events that start the workflow: named Trigger On, without a tooltip, as n8n's triggers name it. */
export const eventsProperty: INodeProperties = {
	displayName: 'Trigger On',
	name: 'events',
	type: 'multiOptions',
	required: true,
	default: ['newLead'],
	options: [
		{
			name: 'Funnel Completed',
			value: 'funnelCompleted',
			description: 'The visitor reached the last page or a result page; once per contact',
		},
		{
			name: 'New Lead',
			value: 'newLead',
			description: 'The visitor submitted an email address or phone number; once per contact',
		},
	],
};

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	default: 'none',
	options: [
		{ name: 'None', value: 'none' },
		{ name: 'Secret Token', value: 'secretToken' },
	],
	description:
		"With Secret Token, each call must carry the credential's token: append <code>&token=…</code> to the webhook URLs in Perspective. Calls without it are refused.",
};

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Funnel Names',
			name: 'funnelNames',
			type: 'string',
			default: '',
			placeholder: 'e.g. Solar check, Roof quiz',
			description:
				'Comma-separated funnel names to accept (case-insensitive). Requests for other funnels are acknowledged and ignored. Empty accepts all.',
			displayOptions: { show: { '@version': [1] } },
		},
		{
			displayName: 'Funnel Names',
			name: 'funnelNameList',
			type: 'string',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Funnel Name' },
			default: [],
			placeholder: 'e.g. Solar check',
			description:
				'Funnel names to accept, one per entry, each taken whole (commas included), compared without case and surrounding spaces. Requests for other funnels are acknowledged and ignored. None accepts all.',
			displayOptions: { show: { '@version': [1.1] } },
		},
		{
			displayName: 'Max Contacts',
			name: 'maxContacts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000000, numberPrecision: 0 },
			default: 10000,
			description:
				'How many contacts to remember for deduplication (a whole number from 1 to 1,000,000); past it, the least recently seen are forgotten first',
		},
		outputFormatOption,
		{
			displayName: 'Retention (Days)',
			name: 'retentionDays',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3650, numberPrecision: 0 },
			default: 30,
			description:
				'Contacts not seen for this many whole days (at most 3,650) are forgotten; events older than this for unknown contacts are ignored',
		},
	],
};
