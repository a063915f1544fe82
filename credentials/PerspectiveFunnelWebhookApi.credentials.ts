import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class PerspectiveFunnelWebhookApi implements ICredentialType {
	name = 'perspectiveFunnelWebhookApi';

	displayName = 'Perspective Funnel Webhook API';

	icon = { light: 'file:perspective.svg', dark: 'file:perspective.dark.svg' } as const;

	documentationUrl = 'https://github.com/OWNER/n8n-nodes-perspective-funnel#perspective-funnel-webhook-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Token',
			name: 'secretToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A long random string. Append it to the webhook URL in Perspective as ?token=… (or &token=… after other parameters).',
		},
	];
}
