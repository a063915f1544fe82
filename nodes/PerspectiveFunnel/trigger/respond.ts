import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { answer, type TriggerWiring } from './receive';

/**
 * The `webhook` method of both trigger nodes: answer the request, then hand n8n the items.
 * The node answers itself: on n8n 2.x, only then is a change of static data saved.
 */
export async function respond(context: IWebhookFunctions, wiring: TriggerWiring): Promise<IWebhookResponseData> {
	const { status, headers, body, items } = await answer(context, wiring, Date.now());
	const response = context.getResponseObject();
	for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
	response.status(status).json(body);
	if (items.length === 0) return { noWebhookResponse: true };
	return {
		noWebhookResponse: true,
		workflowData: [context.helpers.returnJsonArray(items as IDataObject[])],
	};
}
