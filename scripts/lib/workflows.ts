/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/** Workflows as n8n imports them: each of this package's nodes in a two-node workflow. */
export const TRIGGER_NODE_NAME = 'Perspective Funnel Trigger';
export const TRIGGER_TYPE = 'n8n-nodes-perspective-funnel.perspectiveFunnelTrigger';
/** The Redis package's trigger (redis/): its only version is 1.1. */
export const REDIS_TRIGGER_TYPE = 'n8n-nodes-perspective-funnel-redis.perspectiveFunnelRedisTrigger';

export interface TriggerWorkflowOptions {
	/** 16 characters, as n8n's own ids. */
	id: string;
	name: string;
	/** Fixes the production URL: /webhook/<webhookId>/webhook. */
	webhookId: string;
	parameters?: Record<string, unknown>;
	credentialId?: string;
	/**
	 * The Redis trigger instead of the static-data one, with this Redis credential. The node
	 * keeps the name TRIGGER_NODE_NAME, so the suite reads its items as the other trigger's.
	 */
	redisCredentialId?: string;
}

interface NodeSpec {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	[key: string]: unknown;
}

/** A workflow of two nodes, the first feeding the second, as n8n's import reads it. */
export function twoNodeWorkflow(id: string, name: string, first: NodeSpec & { id: string }, second: NodeSpec & { id: string }) {
	return {
		id,
		name,
		active: false,
		nodes: [
			{ ...first, position: [0, 0] },
			{ ...second, position: [260, 0] },
		],
		connections: { [first.name]: { main: [[{ node: second.name, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The No Operation node a trigger feeds, so its items are stored with the execution. */
const leadItems = (workflowId: string) => ({
	id: `${workflowId}-items`,
	name: 'Lead items',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	parameters: {},
});

export function triggerWorkflow(options: TriggerWorkflowOptions) {
	const redis = options.redisCredentialId !== undefined;
	const credentials = {
		...(redis ? { perspectiveFunnelRedisApi: { id: options.redisCredentialId, name: `Redis ${options.redisCredentialId}` } } : {}),
		...(options.credentialId
			? { [redis ? 'perspectiveFunnelRedisWebhookApi' : 'perspectiveFunnelWebhookApi']: { id: options.credentialId, name: 'Perspective token' } }
			: {}),
	};
	return twoNodeWorkflow(
		options.id,
		options.name,
		{
			id: `${options.id}-trigger`,
			name: TRIGGER_NODE_NAME,
			type: redis ? REDIS_TRIGGER_TYPE : TRIGGER_TYPE,
			typeVersion: redis ? 1.1 : 1,
			webhookId: options.webhookId,
			parameters: { events: ['newLead', 'funnelCompleted'], ...options.parameters },
			...(Object.keys(credentials).length > 0 ? { credentials } : {}),
		},
		leadItems(options.id),
	);
}

export function tokenCredential(id: string, secretToken: string, type = 'perspectiveFunnelWebhookApi') {
	return { id, name: 'Perspective token', type, data: { secretToken } };
}

/** The Redis trigger's connection (perspectiveFunnelRedisApi) to a Redis on 127.0.0.1. */
export function redisCredential(id: string, port: number, data: Record<string, unknown> = {}) {
	return {
		id,
		name: `Redis ${id}`,
		type: 'perspectiveFunnelRedisApi',
		data: { host: '127.0.0.1', port, username: '', password: '', database: 0, tls: false, ...data },
	};
}

export const productionUrl = (baseUrl: string, webhookId: string) => `${baseUrl}/webhook/${webhookId}/webhook`;

/** The example workflow that `npm start` imports, and `npm run simulate` plays against by default. */
export const DEMO_WORKFLOW = { id: 'perspectiveDemo1', webhookId: 'perspective-demo' };

/** `npm start`'s port: PORT, 5678 by default. */
export const demoPort = () => process.env.PORT ?? '5678';

/** The REST API nodes: a poll trigger workflow, and Webhook → Perspective Funnel workflows. */
export const POLL_TRIGGER_NODE_NAME = 'Perspective Funnel Poll Trigger';
export const ACTION_NODE_NAME = 'Perspective Funnel';

export function apiCredential(id: string, apiKey: string, baseUrl: string) {
	return { id, name: `Perspective API ${id}`, type: 'perspectiveApi', data: { apiKey, baseUrl } };
}

const apiCredentialRef = (credentialId: string) => ({
	perspectiveApi: { id: credentialId, name: `Perspective API ${credentialId}` },
});

export function pollWorkflow(options: { id: string; name: string; funnelId: string; event: 'newLead'; credentialId: string }) {
	return twoNodeWorkflow(
		options.id,
		options.name,
		{
			id: `${options.id}-poll`,
			name: POLL_TRIGGER_NODE_NAME,
			type: 'n8n-nodes-perspective-funnel.perspectiveFunnelPollTrigger',
			typeVersion: 1,
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				funnel: { __rl: true, mode: 'id', value: options.funnelId },
				event: options.event,
				options: {},
			},
			credentials: apiCredentialRef(options.credentialId),
		},
		leadItems(options.id),
	);
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
	/** The Perspective Funnel node's version: 1 unless given (1.1 is the default of new nodes). */
	typeVersion?: number;
}) {
	return twoNodeWorkflow(
		options.id,
		options.name,
		{
			id: `${options.id}-webhook`,
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
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
			typeVersion: options.typeVersion ?? 1,
			parameters: options.parameters,
			credentials: apiCredentialRef(options.credentialId),
			...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		},
	);
}
