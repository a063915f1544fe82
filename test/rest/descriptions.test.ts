import { Workflow, type INodeProperties, type INodePropertyOptions, type INodeTypes } from 'n8n-workflow';

import { PerspectiveApi } from '../../credentials/PerspectiveApi.credentials';
import { PerspectiveFunnel } from '../../nodes/PerspectiveFunnel/PerspectiveFunnel.node';
import { PerspectiveFunnelPollTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelPollTrigger.node';
import { PerspectiveFunnelTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelTrigger.node';

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

	it('credential test: a refused key (401) fails, a key limited to the CRM (403 on workspaces) passes', () => {
		// n8n fails a test request on any non-2xx status unless the request ignores status errors;
		// then it fails only where a rule matches the answer's body.
		expect(credential.test.request.ignoreHttpStatusErrors).toBe(true);
		const failsOn = (credential.test.rules ?? []).map((rule) => rule.type === 'responseSuccessBody' && rule.properties.value);
		expect(failsOn).toEqual(expect.arrayContaining([401, 404, 429, 500]));
		expect(failsOn).not.toContain(403);
		expect(credential.test.rules?.every((rule) => rule.type === 'responseSuccessBody' && rule.properties.key === 'status')).toBe(true);
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

	it('names each action without articles, as n8n asks ("Create contact")', () => {
		const actions = action.properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) => (property.options as INodePropertyOptions[]).map((option) => option.action));
		expect(actions).toEqual([
			'Create contact',
			'Get contact',
			'Get many contacts',
			'Update contact field',
			'Get chart',
			'Get insight',
			'Get KPI',
			'Get many workspaces',
		]);
	});

	it('offers the nine KPIs and seven charts as options, A/B test only for the page-to-page chart', () => {
		const subtypes = action.properties.filter((property) => property.name === 'subtype');
		const of = (operation: string) => subtypes.find((property) => property.displayOptions?.show?.operation?.includes(operation))!;
		expect(of('kpi').type).toBe('options');
		expect(values(of('kpi'))).toHaveLength(9);
		expect(values(of('chart'))).toHaveLength(7);
		expect(of('kpi').noDataExpression).toBeUndefined();
		const chartOptions = action.properties.find(
			(property) => property.name === 'options' && property.displayOptions?.show?.operation?.includes('chart'),
		)!.options as INodeProperties[];
		const abTest = chartOptions.find((option) => option.name === 'abTest')!;
		expect(abTest.displayOptions).toEqual({ show: { '/subtype': ['chart_page_to_page_conversion_rate'] } });
		expect(chartOptions.find((option) => option.name === 'offset')?.description).toMatch(/120 for UTC\+2/);
	});

	it('offers Simplify for contacts, on by default', () => {
		const simplify = action.properties.filter((property) => property.name === 'simplify');
		expect(simplify.map((property) => [property.default, property.displayOptions?.show?.operation])).toEqual([
			[true, ['getAll']],
			[true, ['get']],
		]);
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

	it('asks for the funnel wherever one is needed, from a list, by its address or by ID', () => {
		const funnel = action.properties.find((property) => property.name === 'funnel')!;
		expect(funnel.displayOptions?.show?.resource).toEqual(['contact', 'metric']);
		expect(funnel.modes?.map((mode) => mode.name)).toEqual(['list', 'url', 'id']);
		expect(funnel.modes?.[0].typeOptions?.searchListMethod).toBe('searchFunnels');
	});
});

describe('Perspective Funnel Poll Trigger description', () => {
	const poll = new PerspectiveFunnelPollTrigger().description;

	it('is a polling trigger for New Lead only (the list cannot be sorted by first-seen time) with the output formats of the webhook trigger', () => {
		expect(poll).toMatchObject({ name: 'perspectiveFunnelPollTrigger', polling: true, inputs: [], group: ['trigger'] });
		const event = poll.properties.find((property) => property.name === 'event')!;
		expect(event.default).toBe('newLead');
		expect(values(event)).toEqual(['newLead']);
		const options = poll.properties.find((property) => property.name === 'options')!.options as INodeProperties[];
		expect(options.map((option) => [option.name, option.default])).toEqual([['outputFormat', 'webhook']]);
	});
});

describe('Perspective Funnel Trigger subtitle', () => {
	it('shows display names, not raw values, as n8n-workflow evaluates it', () => {
		const trigger = new PerspectiveFunnelTrigger();
		const subtitle = trigger.description.subtitle as string;
		const nodeTypes = { getByName: () => trigger, getByNameAndVersion: () => trigger, getKnownTypes: () => ({}) } as unknown as INodeTypes;
		const node = { id: '1', name: 'Trigger', type: 'trigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: { events: ['newLead', 'funnelCompleted'] } };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		expect(workflow.expression.getSimpleParameterValue(node, subtitle, 'internal', {})).toBe('New Lead, Funnel Completed');
	});
});
