import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { secretTokenProperty } from '../../nodes/PerspectiveFunnel/shared/secretToken';

/**
 * The secret token of the Redis trigger's URL: the main package's field under this package's
 * own credential (n8n lets a node use only its own package's credentials).
 */
export class PerspectiveFunnelRedisWebhookApi implements ICredentialType {
	name = 'perspectiveFunnelRedisWebhookApi';

	displayName = 'Perspective Funnel Redis Webhook API';

	icon = { light: 'file:../icons/perspectiveRedis.svg', dark: 'file:../icons/perspectiveRedis.dark.svg' } as const;

	documentationUrl = 'https://github.com/OWNER/n8n-nodes-perspective-funnel#perspective-funnel-redis-trigger';

	properties: INodeProperties[] = [secretTokenProperty];
}
