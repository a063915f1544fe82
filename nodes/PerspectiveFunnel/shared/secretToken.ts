import type { INodeProperties } from 'n8n-workflow';

/** The one field of the webhook credentials (this package's, and the Redis package's own). */
export const secretTokenProperty: INodeProperties = {
	displayName: 'Secret Token',
	name: 'secretToken',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	required: true,
	description:
		'A long random string. Append it to the webhook URL in Perspective as ?token=… (or &token=… after other parameters).',
};
