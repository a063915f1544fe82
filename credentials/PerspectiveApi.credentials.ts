import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class PerspectiveApi implements ICredentialType {
	name = 'perspectiveApi';

	displayName = 'Perspective API';

	icon = { light: 'file:perspective.svg', dark: 'file:perspective.dark.svg' } as const;

	documentationUrl = 'https://github.com/OWNER/n8n-nodes-perspective-funnel#perspective-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Created in Perspective under workspace settings → API (Scale plan and above)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.perspective.co',
			required: true,
			description: 'Where the Perspective API answers. Change it only if Perspective announces another host.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-perspective-api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	// Listing workspaces is the cheapest call that needs a valid key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v1/workspaces',
			method: 'GET',
		},
	};
}
