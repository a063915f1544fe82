/** Workflows as n8n imports them: the Perspective Funnel Trigger feeding a node that shows its items. */
export const TRIGGER_NODE_NAME = 'Perspective Funnel Trigger';
export const TRIGGER_TYPE = 'n8n-nodes-perspective-funnel.perspectiveFunnelTrigger';

export interface TriggerWorkflowOptions {
	/** 16 characters, as n8n's own ids. */
	id: string;
	name: string;
	/** Fixes the production URL: /webhook/<webhookId>/webhook. */
	webhookId: string;
	parameters?: Record<string, unknown>;
	credentialId?: string;
}

export function triggerWorkflow(options: TriggerWorkflowOptions) {
	return {
		id: options.id,
		name: options.name,
		active: false,
		nodes: [
			{
				id: `${options.id}-trigger`,
				name: TRIGGER_NODE_NAME,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: options.webhookId,
				parameters: { events: ['newLead', 'funnelCompleted'], ...options.parameters },
				...(options.credentialId
					? { credentials: { perspectiveFunnelWebhookApi: { id: options.credentialId, name: 'Perspective token' } } }
					: {}),
			},
			{
				id: `${options.id}-items`,
				name: 'Lead items',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [260, 0],
				parameters: {},
			},
		],
		connections: {
			[TRIGGER_NODE_NAME]: { main: [[{ node: 'Lead items', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

export function tokenCredential(id: string, secretToken: string) {
	return { id, name: 'Perspective token', type: 'perspectiveFunnelWebhookApi', data: { secretToken } };
}

export const productionUrl = (baseUrl: string, webhookId: string) => `${baseUrl}/webhook/${webhookId}/webhook`;

/** The REST API nodes: a poll trigger workflow, and Webhook → Perspective Funnel workflows. */
export const POLL_TRIGGER_NODE_NAME = 'Perspective Funnel Poll Trigger';
export const ACTION_NODE_NAME = 'Perspective Funnel';

export function apiCredential(id: string, apiKey: string, baseUrl: string) {
	return { id, name: `Perspective API ${id}`, type: 'perspectiveApi', data: { apiKey, baseUrl } };
}

const apiCredentialRef = (credentialId: string) => ({
	perspectiveApi: { id: credentialId, name: `Perspective API ${credentialId}` },
});

export function pollWorkflow(options: { id: string; name: string; funnelId: string; event: 'newLead' | 'newContact'; credentialId: string }) {
	return {
		id: options.id,
		name: options.name,
		active: false,
		nodes: [
			{
				id: `${options.id}-poll`,
				name: POLL_TRIGGER_NODE_NAME,
				type: 'n8n-nodes-perspective-funnel.perspectiveFunnelPollTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					funnel: { __rl: true, mode: 'id', value: options.funnelId },
					event: options.event,
					options: {},
				},
				credentials: apiCredentialRef(options.credentialId),
			},
			{
				id: `${options.id}-items`,
				name: 'Lead items',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [260, 0],
				parameters: {},
			},
		],
		connections: {
			[POLL_TRIGGER_NODE_NAME]: { main: [[{ node: 'Lead items', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * A Webhook node answering with every item of the Perspective Funnel node behind it, so a test
 * posts a body and reads the action's output in the HTTP answer. The URL is the same shape as
 * the trigger's: /webhook/<webhookId>/webhook.
 */
export function actionWorkflow(options: {
	id: string;
	name: string;
	webhookId: string;
	parameters: Record<string, unknown>;
	credentialId: string;
	continueOnFail?: boolean;
}) {
	return {
		id: options.id,
		name: options.name,
		active: false,
		nodes: [
			{
				id: `${options.id}-webhook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: options.webhookId,
				parameters: {
					httpMethod: 'POST',
					path: `${options.webhookId}/webhook`,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: `${options.id}-action`,
				name: ACTION_NODE_NAME,
				type: 'n8n-nodes-perspective-funnel.perspectiveFunnel',
				typeVersion: 1,
				position: [260, 0],
				parameters: options.parameters,
				credentials: apiCredentialRef(options.credentialId),
				...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			},
		],
		connections: {
			Webhook: { main: [[{ node: ACTION_NODE_NAME, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}
