import type {
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
