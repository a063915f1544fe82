import type { INodeProperties } from 'n8n-workflow';

import { outputFormatOption } from '../shared/description';

export const setupNotice: INodeProperties = {
	displayName:
		'In Perspective, open the funnel, then Integrations → Webhooks. Paste the Production URL below twice: as New Lead with <code>?trigger=new_lead</code> appended, and as Funnel Completed with <code>?trigger=funnel_completed</code> (Perspective refuses the same URL twice). With a secret token, also append <code>&token=&lt;secret&gt;</code>. Activate the workflow.',
	name: 'setupNotice',
	type: 'notice',
	default: '',
};

export const eventsProperty: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	required: true,
	default: ['newLead'],
	description: 'Which moments of a contact start the workflow; each is emitted once per contact',
	options: [
		{
			name: 'Funnel Completed',
			value: 'funnelCompleted',
			description: 'The visitor reached the last page or a result page',
		},
		{
			name: 'New Lead',
			value: 'newLead',
			description: 'The visitor submitted an email address or phone number',
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
		'With a secret token, requests must carry it as ?token=… (what Perspective can send), header x-perspective-token, or Authorization: Bearer',
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
			placeholder: 'Solar check, Roof quiz',
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
			placeholder: 'Solar check',
			description:
				'Funnel names to accept, one per entry, each taken whole (commas included), compared without case and surrounding spaces. Requests for other funnels are acknowledged and ignored. None accepts all.',
			displayOptions: { show: { '@version': [1.1] } },
		},
		{
			displayName: 'Max Contacts',
			name: 'maxContacts',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 10000,
			description:
				'How many contacts to remember for deduplication (a whole number, at least 1); past it, the least recently seen are forgotten first',
		},
		outputFormatOption,
		{
			displayName: 'Retention (Days)',
			name: 'retentionDays',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 30,
			description:
				'Contacts not seen for this many whole days are forgotten; events older than this for unknown contacts are ignored',
		},
	],
};
