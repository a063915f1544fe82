import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { handleRequest, type TriggerWiring } from './handleRequest';

/**
 * The `webhook` method of both trigger nodes: handle the request, write the answer, hand n8n
 * the items. The node answers itself: on n8n 2.x, only then is a change of static data saved.
 */
export async function runTriggerWebhook(context: IWebhookFunctions, wiring: TriggerWiring): Promise<IWebhookResponseData> {
	const { answer, items } = await handleRequest(context, wiring, Date.now());
	const response = context.getResponseObject();
	for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
	response.status(answer.status).json(answer.body);
	if (items.length === 0) return { noWebhookResponse: true };
	return {
		noWebhookResponse: true,
		workflowData: [context.helpers.returnJsonArray(items as IDataObject[])],
	};
}
