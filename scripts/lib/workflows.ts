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
