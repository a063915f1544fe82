import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { authenticationProperty, eventsProperty, optionsProperty, setupNotice } from './trigger/description';
import { tokenStrengthProblem } from './trigger/authenticate';
import { respond } from './trigger/respond';
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
		subtitle: '={{ $parameter["events"].map(e => ({ newLead: "New Lead", funnelCompleted: "Funnel Completed" })[e] || e).join(", ") }}',
		description: 'Starts the workflow once per contact when a Perspective funnel visitor becomes a lead or completes the funnel',
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
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [setupNotice, eventsProperty, authenticationProperty, optionsProperty],
	};

	methods = {
		credentialTest: {
			// Nothing remote to ask: the test checks that the token is fit for a URL and hard to guess.
			async secretTokenStrength(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problem = tokenStrengthProblem(String(credential.data?.secretToken ?? ''));
				return problem ? { status: 'Error', message: problem } : { status: 'OK', message: 'The token is usable' };
			},
		},
	};

	// The URL is pasted into Perspective by hand: there is nothing to register or remove.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await respond(this, { memoryFor: staticDataMemory, tokenCredential: 'perspectiveFunnelWebhookApi' });
	}
}
