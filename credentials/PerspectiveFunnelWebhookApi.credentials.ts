import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { secretTokenProperty } from '../nodes/PerspectiveFunnel/shared/secretToken';

export class PerspectiveFunnelWebhookApi implements ICredentialType {
	name = 'perspectiveFunnelWebhookApi';

	displayName = 'Perspective Funnel Webhook API';

	icon = { light: 'file:perspective.svg', dark: 'file:perspective.dark.svg' } as const;

	documentationUrl = 'https://github.com/OWNER/n8n-nodes-perspective-funnel#perspective-funnel-webhook-api-credential';

	properties: INodeProperties[] = [secretTokenProperty];
}
