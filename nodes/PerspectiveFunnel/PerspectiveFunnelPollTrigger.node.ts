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
		// The first poll only notes where the funnel stands, and Fetch Test Event reads a real
		// lead, not a mock: both said where a newcomer looks, in the panel and on activation.
		activationMessage:
			'The workflow now asks Perspective for new leads at each poll time. The first check only notes where the funnel stands; every lead after it starts the workflow once.',
		triggerPanel: {
			executionsHelp: {
				inactive:
					"<b>While you build</b>, click <b>Fetch Test Event</b>: it shows the funnel's newest lead and changes nothing.<br /><br /><b>To run on every new lead</b>, publish the workflow (activate it, in n8n 1). The first poll then only notes where the funnel stands; each later poll runs the workflow for every lead that arrived since, once. Those executions appear in the executions list, not here.",
				active:
					"<b>While you build</b>, click <b>Fetch Test Event</b>: it shows the funnel's newest lead and changes nothing.<br /><br /><b>The workflow is published</b>: each poll runs it for every lead that arrived since the last one, once. Those executions appear in the executions list, not here.",
			},
			activationHint: {
				inactive:
					'Fetch Test Event shows the newest lead. Once the workflow is published, the first poll only notes where the funnel stands; leads after it start the workflow.',
				active: 'Each poll also runs this workflow for the leads that arrived since the last one (those executions show in the executions list, not here).',
			},
		},
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
				// Named Trigger On, without a tooltip, as n8n names a trigger's events.
				displayName: 'Trigger On',
				name: 'event',
				type: 'options',
				default: 'newLead',
				options: [
					{
						name: 'New Lead',
						value: 'newLead',
						description: 'A visitor gave an email address or phone number, by the time they did',
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
