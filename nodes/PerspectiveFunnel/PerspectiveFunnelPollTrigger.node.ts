import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { pollContacts } from './polling/pollContacts';
import { funnelProperty } from './actions/funnelParameter';
import { searchFunnels } from './methods/listSearch';
import { outputFormatOption } from './shared/description';

export class PerspectiveFunnelPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Perspective Funnel Poll Trigger',
		name: 'perspectiveFunnelPollTrigger',
		icon: { light: 'file:perspective.svg', dark: 'file:perspective.dark.svg' },
		group: ['trigger'],
		version: 1,
		polling: true,
		subtitle: 'New Lead',
		description:
			"Starts the workflow with each new lead that Perspective's API lists for a funnel; needs no public URL",
		defaults: {
			name: 'Perspective Funnel Poll Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'perspectiveApi', required: true }],
		properties: [
			{
				displayName:
					'Uses the Perspective API (Scale plan or legacy Volume plan). The first poll after activation only notes where the funnel stands; every later poll emits each contact that arrived since, once. Prefer the Perspective Funnel Trigger when Perspective can reach this n8n: it is immediate and carries every answer.',
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			funnelProperty,
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				default: 'newLead',
				options: [
					{
						name: 'New Lead',
						value: 'newLead',
						description: 'A contact converted: gave an email address or phone number (by ps_converted_at)',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [outputFormatOption],
			},
		],
	};

	methods = {
		listSearch: { searchFunnels },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollContacts.call(this);
	}
}
