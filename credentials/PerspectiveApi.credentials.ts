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
			description:
				'Created by an admin in Perspective under Account Settings → API; the API needs the Scale plan or the legacy Volume plan',
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

	/**
	 * Lists workspaces, the cheapest call that needs a key. The verdict is read from the body
	 * (`{ error, status }` on every failure): 401 is a refused key; 403 means the key was
	 * recognised but may not list workspaces (a key limited to the CRM), so it passes; other
	 * documented failures fail with what they mean.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v1/workspaces',
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		rules: credentialTestRules(),
	};
}

/** One rule per documented failure status except 403, matched on the body's `status`. */
function credentialTestRules(): ICredentialTestRequest['rules'] {
	const refused: Array<[number, string]> = [
		[401, 'Perspective refused the API key (401): check that it was copied whole and was not regenerated since'],
		[400, 'Perspective refused the request (400): check the Base URL'],
		[404, 'Perspective answered 404 for /v1/workspaces: check the Base URL'],
		[429, 'Perspective rate limit reached (429): try again in a minute'],
		[500, 'Perspective answered 500: try again later'],
		[502, 'Perspective answered 502: try again later'],
		[503, 'Perspective answered 503: try again later'],
	];
	return refused.map(([status, message]) => ({
		type: 'responseSuccessBody' as const,
		properties: { key: 'status', value: status, message },
	}));
}
