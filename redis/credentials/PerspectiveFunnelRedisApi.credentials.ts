import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class PerspectiveFunnelRedisApi implements ICredentialType {
	name = 'perspectiveFunnelRedisApi';

	displayName = 'Perspective Funnel Redis API';

	icon = { light: 'file:../icons/perspectiveRedis.svg', dark: 'file:../icons/perspectiveRedis.dark.svg' } as const;

	documentationUrl = 'https://github.com/OWNER/n8n-nodes-perspective-funnel#perspective-funnel-redis-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			required: true,
			description: 'The Redis server, e.g. the one n8n queue mode uses (<code>QUEUE_BULL_REDIS_HOST</code>)',
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 6379,
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			description: 'For Redis 6 ACL users; leave empty for the default user',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'number',
			default: 0,
			description: 'The database number (0 to 15 on a default Redis)',
		},
		{
			displayName: 'TLS',
			name: 'tls',
			type: 'boolean',
			default: false,
			description: 'Whether to connect with TLS (rediss://)',
		},
	];
}
