import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { PerspectiveFunnelTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelTrigger.node';
import { fakeWebhookContext, type FakeNode, type FakeRequest } from './fakeWebhookContext';

const trigger = new PerspectiveFunnelTrigger();
let workflowSerial = 0;

/** A workflow ID no other test uses, so that no two tests share the in-process contact store. */
export const freshWorkflowId = () => `wf-${++workflowSerial}`;

/** A node whose state persists across requests, as one trigger in one workflow does. */
export function liveNode(extra: FakeNode = {}): FakeNode {
	return { workflowId: freshWorkflowId(), staticData: {}, ...extra };
}

/**
 * One request through the Perspective Funnel Trigger's webhook(), with the fake n8n context:
 * what n8n got back, what the node answered and logged, its static data, and the items emitted.
 */
export async function sendToTrigger(request: FakeRequest, node: FakeNode = {}) {
	const { context, recorded, staticData } = fakeWebhookContext(request, node);
	const result: IWebhookResponseData = await trigger.webhook.call(context);
	const items = (result.workflowData?.[0] ?? []).map((item) => item.json as IDataObject);
	return { result, recorded, staticData, items };
}
