import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type INodeCredentialTestResult,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	authenticationProperty,
	eventsProperty,
	optionsProperty,
	setupNotice,
} from '../../../nodes/PerspectiveFunnel/trigger/description';
import type { TriggerWiring } from '../../../nodes/PerspectiveFunnel/trigger/handleRequest';
import { runTriggerWebhook } from '../../../nodes/PerspectiveFunnel/trigger/webhook';
import { pastedUrlWebhookMethods, secretTokenStrength, triggerPanelCopy, triggerSubtitle, triggerWebhooks } from '../../../nodes/PerspectiveFunnel/trigger/nodeParts';
import { checkRedis, clientFor, credentialTestMessage, type RedisCredential } from './connection';
import { KeySpace, RedisMemory } from './redisMemory';

export const DEFAULT_KEY_PREFIX = 'perspective-funnel';

const keyPrefixOption: INodeProperties = {
	displayName: 'Key Prefix',
	name: 'keyPrefix',
	type: 'string',
	default: DEFAULT_KEY_PREFIX,
	description:
		'The start of every Redis key this node writes (followed by the workflow ID and node ID). Give each n8n instance that shares one Redis its own prefix.',
};

const label = (option: object) => ('displayName' in option ? String(option.displayName) : '');

/** The main trigger's options, with the key prefix in its alphabetical place. */
const redisOptionsProperty: INodeProperties = {
	...optionsProperty,
	options: [...(optionsProperty.options ?? []), keyPrefixOption].sort((a, b) => label(a).localeCompare(label(b))),
};

/** A key prefix as typed, trimmed; braces are Redis Cluster's hash tag and are not allowed in it. */
function keyPrefixOf(context: IWebhookFunctions): string {
	const options = context.getNodeParameter('options', {}) as { keyPrefix?: unknown };
	const prefix = typeof options.keyPrefix === 'string' ? options.keyPrefix.trim().replace(/[{}]/g, '') : '';
	return prefix || DEFAULT_KEY_PREFIX;
}

const wiring: TriggerWiring = {
	tokenCredential: 'perspectiveFunnelRedisWebhookApi',
	memoryFor: async (context) => {
		const credential = await context.getCredentials<RedisCredential>('perspectiveFunnelRedisApi');
		const node = context.getNode();
		const keys = new KeySpace(keyPrefixOf(context), context.getWorkflow().id ?? '', node.id ?? node.name);
		return new RedisMemory(clientFor(credential), keys);
	},
};

export class PerspectiveFunnelRedisTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Perspective Funnel Redis Trigger',
		name: 'perspectiveFunnelRedisTrigger',
		icon: { light: 'file:../../icons/perspectiveRedis.svg', dark: 'file:../../icons/perspectiveRedis.dark.svg' },
		group: ['trigger'],
		version: 1.1,
		subtitle: triggerSubtitle,
		description:
			'Starts the workflow once per contact when a Perspective funnel visitor becomes a lead or completes the funnel, with contacts kept in Redis (exactly once across n8n webhook processes)',
		...triggerPanelCopy,
		defaults: {
			name: 'Perspective Funnel Redis Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Two credentials at once, on purpose (n8n's unpublished rule single-credential-per-node
		// names this case as its exception: a trigger with a connection of its own and a separate
		// check of the webhook's caller). The Redis credential is where the contacts are kept,
		// needed by every request; the token credential checks Perspective's calls and is shown
		// only with Authentication: Secret Token. Merging them would make every Redis credential
		// carry a token, and moving the connection into node parameters, as the rule suggests for
		// settings, would put the Redis password into the workflow. When the rule ships, this line
		// gets its eslint-disable-next-line with this reason (docs/n8n-review.md, row 12).
		credentials: [
			{
				name: 'perspectiveFunnelRedisApi',
				required: true,
				testedBy: 'redisConnection',
			},
			{
				name: 'perspectiveFunnelRedisWebhookApi',
				required: true,
				testedBy: 'secretTokenStrength',
				displayOptions: { show: { authentication: ['secretToken'] } },
			},
		],
		webhooks: triggerWebhooks,
		properties: [setupNotice, eventsProperty, authenticationProperty, redisOptionsProperty],
	};

	methods = {
		credentialTest: {
			async redisConnection(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return credentialTestMessage(await checkRedis((credential.data ?? {}) as RedisCredential));
			},
			secretTokenStrength,
		},
	};

	webhookMethods = pastedUrlWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await runTriggerWebhook(this, wiring);
	}
}
