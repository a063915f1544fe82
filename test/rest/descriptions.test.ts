import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { PerspectiveApi } from '../../credentials/PerspectiveApi.credentials';
import { PerspectiveFunnel } from '../../nodes/PerspectiveFunnel/PerspectiveFunnel.node';
import { PerspectiveFunnelPollTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelPollTrigger.node';

const action = new PerspectiveFunnel().description;
const values = (property: INodeProperties) => (property.options as INodePropertyOptions[]).map((option) => option.value);

describe('Perspective API credential', () => {
	const credential = new PerspectiveApi();

	it('sends the key in the documented header and checks it by listing workspaces', () => {
		expect(credential.name).toBe('perspectiveApi');
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { 'x-perspective-api-key': '={{$credentials.apiKey}}' } },
		});
		expect(credential.test.request).toMatchObject({ url: '/v1/workspaces', method: 'GET' });
	});

	it('keeps the key secret and the base URL changeable, defaulting to the documented host', () => {
		const field = (name: string) => credential.properties.find((property) => property.name === name);
		expect(field('apiKey')).toMatchObject({ type: 'string', typeOptions: { password: true }, required: true });
		expect(field('baseUrl')).toMatchObject({ type: 'string', default: 'https://api.perspective.co' });
	});
});

describe('Perspective Funnel node description', () => {
	const resources = values(action.properties.find((property) => property.name === 'resource')!);
	const operationsOf = (resource: string) =>
		values(
			action.properties.find(
				(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
			)!,
		);

	it('offers exactly the operations of the issue, usable as an AI tool', () => {
		expect(resources).toEqual(['contact', 'metric', 'workspace']);
		expect(operationsOf('contact')).toEqual(['create', 'get', 'getAll', 'updateField']);
		expect(operationsOf('metric')).toEqual(['chart', 'insight', 'kpi']);
		expect(operationsOf('workspace')).toEqual(['getAll']);
		expect(action).toMatchObject({ name: 'perspectiveFunnel', usableAsTool: true, credentials: [{ name: 'perspectiveApi', required: true }] });
	});

	it('shows every field for a resource and operation that exist', () => {
		for (const property of action.properties) {
			const show = property.displayOptions?.show;
			if (!show?.operation) continue;
			for (const resource of show.resource as string[]) {
				for (const operation of show.operation as string[]) expect(operationsOf(resource)).toContain(operation);
			}
		}
	});

	it('asks for the funnel wherever one is needed, from a list or by ID', () => {
		const funnel = action.properties.find((property) => property.name === 'funnel')!;
		expect(funnel.displayOptions?.show?.resource).toEqual(['contact', 'metric']);
		expect(funnel.modes?.map((mode) => mode.name)).toEqual(['list', 'id']);
		expect(funnel.modes?.[0].typeOptions?.searchListMethod).toBe('searchFunnels');
	});
});

describe('Perspective Funnel Poll Trigger description', () => {
	const poll = new PerspectiveFunnelPollTrigger().description;

	it('is a polling trigger with New Lead by default and the output formats of the webhook trigger', () => {
		expect(poll).toMatchObject({ name: 'perspectiveFunnelPollTrigger', polling: true, inputs: [], group: ['trigger'] });
		const event = poll.properties.find((property) => property.name === 'event')!;
		expect(event.default).toBe('newLead');
		expect(values(event)).toEqual(['newContact', 'newLead']);
		const options = poll.properties.find((property) => property.name === 'options')!.options as INodeProperties[];
		expect(options.map((option) => [option.name, option.default])).toEqual([['outputFormat', 'webhook']]);
	});
});
