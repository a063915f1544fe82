import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { authenticationProperty, eventsProperty, optionsProperty, setupNotice } from './trigger/description';
import { pastedUrlWebhookMethods, secretTokenStrength, triggerPanelCopy, triggerSubtitle, triggerWebhooks } from './trigger/nodeParts';
import { runTriggerWebhook } from './trigger/webhook';
import { staticDataMemory } from './trigger/staticDataMemory';

export class PerspectiveFunnelTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Perspective Funnel Trigger',
		name: 'perspectiveFunnelTrigger',
		icon: { light: 'file:perspective.svg', dark: 'file:perspective.dark.svg' },
		group: ['trigger'],
		// 1.1: Funnel Names is a list, so that a name may hold a comma; 1 keeps the comma list.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: triggerSubtitle,
		description: 'Starts the workflow once per contact when a Perspective funnel visitor becomes a lead or completes the funnel',
		...triggerPanelCopy,
		defaults: {
			name: 'Perspective Funnel Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'perspectiveFunnelWebhookApi',
				required: true,
				testedBy: 'secretTokenStrength',
				displayOptions: { show: { authentication: ['secretToken'] } },
			},
		],
		webhooks: triggerWebhooks,
		properties: [setupNotice, eventsProperty, authenticationProperty, optionsProperty],
	};

	methods = {
		credentialTest: {
			secretTokenStrength,
		},
	};

	webhookMethods = pastedUrlWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await runTriggerWebhook(this, { memoryFor: staticDataMemory, tokenCredential: 'perspectiveFunnelWebhookApi' });
	}
}
