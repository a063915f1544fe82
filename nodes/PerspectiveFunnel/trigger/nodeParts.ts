import type {
	INodeTypeDescription,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHookFunctions,
	INodeCredentialTestResult,
	IWebhookDescription,
} from 'n8n-workflow';

import { tokenStrengthProblem } from './authenticate';

/** What both trigger nodes (static data and Redis) share besides their memory. */

export const triggerSubtitle =
	'={{ $parameter["events"].map(e => ({ newLead: "New Lead", funnelCompleted: "Funnel Completed" })[e] || e).join(", ") }}';

/**
 * What the editor says around the trigger, as n8n's Webhook and Form triggers set it: on the
 * canvas while it listens, in the panel beside the parameters before a test, and in the window
 * that opens when the workflow is published (activated, in n8n 1). The panel is where a
 * newcomer learns that Perspective must be given the test URL, and that one lead is enough.
 */
export const triggerPanelCopy: Pick<INodeTypeDescription, 'eventTriggerDescription' | 'activationMessage' | 'triggerPanel'> = {
	eventTriggerDescription: 'Waiting for one lead from Perspective at the Test URL',
	activationMessage:
		"The workflow now runs for each lead Perspective sends to its Production URL. In Perspective, the funnel's Webhooks must hold that URL with ?trigger=new_lead and with ?trigger=funnel_completed (and &token=… with a secret token).",
	triggerPanel: {
		header: 'Send one test lead from Perspective',
		executionsHelp: {
			inactive:
				"<b>While you build</b>, click <b>Execute step</b>, copy the <b>Test URL</b> under <b>Webhook URLs</b> in the parameters, and paste it in Perspective as the funnel's New Lead webhook (the funnel → Integrations → Webhooks) with <code>?trigger=new_lead</code> appended. Then leave an email address in your funnel once. One lead is enough: the test shows it here even if the contact was emitted before.<br /><br /><b>To run on every lead</b>, replace it in Perspective with the <b>Production URL</b> (once with <code>?trigger=new_lead</code>, once with <code>?trigger=funnel_completed</code>) and publish the workflow (activate it, in n8n 1). Those executions appear in the executions list, not here.",
			active:
				"<b>While you build</b>, click <b>Execute step</b> and send one lead to the <b>Test URL</b> under <b>Webhook URLs</b>: paste it in Perspective as the funnel's New Lead webhook with <code>?trigger=new_lead</code> appended, and leave an email address in your funnel once. One lead is enough.<br /><br /><b>The workflow is published</b>: every lead Perspective sends to the <b>Production URL</b> runs it. Those executions appear in the executions list, not here.",
		},
		activationHint: {
			inactive:
				"Click the button, then paste the <b>Test URL</b> (under <b>Webhook URLs</b>) in Perspective as the funnel's New Lead webhook, with <code>?trigger=new_lead</code> appended, and submit one lead: one is enough. Later, Perspective needs the <b>Production URL</b> instead, and the workflow published.",
			active:
				'Perspective\'s calls to the <b>Production URL</b> run this workflow on their own (they show in the executions list, not here). To see one here, click the button and send one lead to the <b>Test URL</b>.',
		},
	},
};

export const triggerWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: 'webhook',
	},
];

/** The credential test of the webhook token: nothing remote to ask, the token must be fit for a URL and hard to guess. */
export async function secretTokenStrength(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const problem = tokenStrengthProblem(String(credential.data?.secretToken ?? ''));
	return problem ? { status: 'Error', message: problem } : { status: 'OK', message: 'The token is usable' };
}

/** The URL is pasted into Perspective by hand: there is nothing to register or remove. */
export const pastedUrlWebhookMethods = {
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
