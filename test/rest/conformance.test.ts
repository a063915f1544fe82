/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * Issue 10: each place where the nodes differed from Perspective's API as its sources describe
 * it, and each hostile server or ID, as one named test. They go through the nodes only (their
 * public description and run), so that each one also runs against the code as it was.
 */
import { NodeApiError, type IDataObject, type IExecuteFunctions, type IHttpRequestOptions } from 'n8n-workflow';

import { PerspectiveApi } from '../../credentials/PerspectiveApi.credentials';
import { PerspectiveFunnel } from '../../nodes/PerspectiveFunnel/PerspectiveFunnel.node';
import { PerspectiveFunnelPollTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelPollTrigger.node';
import { PerspectiveApiModel, addLeads, apiContact, startPerspectiveApi, type FunnelData } from '../contract/perspectiveApiServer';
import { fakeApiContext, type ParameterValue } from '../helpers/fakeApiContext';

const KEY = 'k_conformance_0123456789';
const CRM_KEY = 'k_crm_only_0123456789';
const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const FUNNEL = { __rl: true, mode: 'id', value: 'f1' };
const PERIOD = { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' };

let model: PerspectiveApiModel;
let funnel: FunnelData;
let server: { url: string; close: () => Promise<void> };

beforeEach(async () => {
	model = new PerspectiveApiModel(KEY, { requests: 100_000, windowMs: 60_000 });
	model.scopedKeys.set(CRM_KEY, new Set(['crm']));
	funnel = model.addFunnel({ id: 'w1', name: 'Marketing' }, { id: 'f1', name: 'Solar check' });
	addLeads(funnel, 'c', 120, (index) => T0 + index * 1000);
	server = await startPerspectiveApi(model);
});

afterEach(async () => {
	await server.close();
});

async function run(parameters: Record<string, ParameterValue>, apiKey = KEY) {
	const { context } = fakeApiContext({ credentials: { apiKey, baseUrl: server.url }, parameters }, 'execute');
	const [output] = await new PerspectiveFunnel().execute.call(context);
	return output.map((item) => item.json);
}

function poll(staticData: IDataObject, parameters: Record<string, ParameterValue> = {}, mode: 'trigger' | 'manual' = 'trigger') {
	const { context } = fakeApiContext(
		{
			credentials: { apiKey: KEY, baseUrl: server.url },
			parameters: { funnel: FUNNEL, event: 'newLead', options: {}, ...parameters },
			staticData,
			mode,
		},
		'poll',
	);
	return new PerspectiveFunnelPollTrigger().poll.call(context);
}

const contactRequests = () => model.requests.filter((request) => request.path.endsWith('/contacts'));

describe('mismatches with the documented API', () => {
	it('funnel picker and poll items read the funnels of a workspace from campaigns[]', async () => {
		const { context } = fakeApiContext({ credentials: { apiKey: KEY, baseUrl: server.url }, parameters: {} }, 'execute');
		const found = await new PerspectiveFunnel().methods.listSearch.searchFunnels.call(context as never, 'solar');
		expect(found.results).toEqual([{ name: 'Solar check (Marketing)', value: 'f1' }]);

		const staticData: IDataObject = {};
		await poll(staticData);
		addLeads(funnel, 'new', 1, () => T0 + 600_000);
		const [items] = (await poll(staticData))!;
		expect(items[0].json).toMatchObject({ id: 'new0', funnelName: 'Solar check' });
	});

	it('Update Field sends { fieldName, value } and returns the value record', async () => {
		const [record] = await run({ resource: 'contact', operation: 'updateField', funnel: FUNNEL, contactId: 'c3', fieldName: 'city', field: 'city', value: 'Hamburg' });
		expect(model.requests.at(-1)).toMatchObject({ method: 'PUT', status: 200, body: { fieldName: 'city', value: 'Hamburg' } });
		expect(record).toMatchObject({ fieldName: 'city', value: 'Hamburg', updatedAt: expect.any(String) });
	});

	it('Update Field refuses ps_* names and dotted address paths before any request', async () => {
		for (const fieldName of ['ps_converted_at', 'address.city']) {
			const before = model.requests.length;
			await expect(
				run({ resource: 'contact', operation: 'updateField', funnel: FUNNEL, contactId: 'c3', fieldName, field: fieldName, value: 'x' }),
			).rejects.toThrow(/^Field Name: /);
			expect(model.requests).toHaveLength(before);
		}
	});

	it('Update Field sends the value as text even when an expression gives a number', async () => {
		await run({ resource: 'contact', operation: 'updateField', funnel: FUNNEL, contactId: 'c3', fieldName: 'score', field: 'score', value: 42 });
		expect(model.requests.at(-1)).toMatchObject({ status: 200, body: { fieldName: 'score', value: '42' } });
	});

	it('Get Many with the defaults sorts by ps_converted_at, which the API accepts', async () => {
		const contacts = await run({ resource: 'contact', operation: 'getAll', funnel: FUNNEL, returnAll: false, limit: 5, options: {} });
		expect(contactRequests().at(-1)).toMatchObject({ query: expect.objectContaining({ sortField: 'ps_converted_at' }), status: 200 });
		expect(contacts.map((contact) => contact.id)).toEqual(['c119', 'c118', 'c117', 'c116', 'c115']);
	});

	it('Get Many refuses a sort field the API does not document, before any request', async () => {
		await expect(
			run({ resource: 'contact', operation: 'getAll', funnel: FUNNEL, returnAll: true, options: { sortField: 'ps_first_seen_at' } }),
		).rejects.toMatchObject({
			message: 'Perspective cannot sort contacts by "ps_first_seen_at"',
			description: expect.stringContaining('Choose Sort By from its list (Converted At, Email, First Name or Last Name)'),
		});
		expect(contactRequests()).toHaveLength(0);
	});

	it('the poll trigger offers only New Lead, the one event a documented sort can find, read under meta', async () => {
		const event = new PerspectiveFunnelPollTrigger().description.properties.find((property) => property.name === 'event')!;
		expect((event.options ?? []).map((option) => (option as { value: string }).value)).toEqual(['newLead']);
		await expect(poll({}, { event: 'newContact' })).rejects.toThrow('Trigger On: "newContact" is not an event this trigger offers');
		expect(contactRequests()).toHaveLength(0);
		const staticData: IDataObject = {};
		expect(await poll(staticData)).toBeNull();
		addLeads(funnel, 'new', 3, (index) => T0 + 600_000 + index);
		const [items] = (await poll(staticData))!;
		expect(items.map((item) => item.json.id)).toEqual(['new0', 'new1', 'new2']);
		expect((items[0].json.meta as IDataObject).convertedAt).toBe(new Date(T0 + 600_000).toISOString());
		expect(await poll(staticData)).toBeNull();
	});

	it('metrics send the time zone offset as offset, in minutes from UTC', async () => {
		await run({ resource: 'metric', operation: 'kpi', funnel: FUNNEL, subtype: 'kpi_new_contacts', ...PERIOD, options: { offset: -120, timezoneOffset: '-02:00' } });
		expect(model.requests.at(-1)).toMatchObject({ query: { ...PERIOD, offset: '-120' }, status: 200 });
	});

	it('metrics name the documented KPIs and charts as options', () => {
		const subtypes = new PerspectiveFunnel().description.properties.filter((property) => property.name === 'subtype');
		const values = subtypes.flatMap((property) => (property.options ?? []).map((option) => (option as { value: string }).value));
		expect(values).toEqual(expect.arrayContaining(['kpi_conversion_rate', 'kpi_messages_open_rate', 'chart_button_clicks', 'chart_page_to_page_conversion_rate']));
		expect(values).toHaveLength(16);
	});

	it('abTest goes only with the page-to-page chart; anywhere else it is refused before any request', async () => {
		const chart = (subtype: string) =>
			run({ resource: 'metric', operation: 'chart', funnel: FUNNEL, subtype, ...PERIOD, options: { abTest: 'variant' } });
		await chart('chart_page_to_page_conversion_rate');
		expect(model.requests.at(-1)).toMatchObject({ query: expect.objectContaining({ abTest: 'variant' }), status: 200 });
		const before = model.requests.length;
		await expect(chart('chart_visitor_devices')).rejects.toMatchObject({
			message: 'A/B Test applies only to the Page-to-Page Conversion Rate chart, not to Visitor Devices',
			description: 'Remove the A/B Test option, or choose the Page-to-Page Conversion Rate chart',
		});
		expect(model.requests).toHaveLength(before);
	});

	it('a period whose from is not before its to is refused before any request', async () => {
		await expect(
			run({ resource: 'metric', operation: 'kpi', funnel: FUNNEL, subtype: 'kpi_new_contacts', from: PERIOD.from, to: PERIOD.from, options: {} }),
		).rejects.toThrow('From is not before To');
		expect(model.requests).toHaveLength(0);
	});

	it('Create sends status and the address with state and house number, and takes the 201', async () => {
		const [created] = await run({
			resource: 'contact',
			operation: 'create',
			funnel: FUNNEL,
			email: 'ada@example.com',
			phone: '',
			additionalFields: { status: 'qualified', address: { value: { state: 'Bavaria', houseNumber: '7' } } },
		});
		expect(model.requests.at(-1)).toMatchObject({
			status: 201,
			body: { email: 'ada@example.com', status: 'qualified', address: { state: 'Bavaria', houseNumber: '7' } },
		});
		expect(created).toMatchObject({ status: 'qualified', address: { state: 'Bavaria', houseNumber: '7' } });
	});

	it('the credential test does not call a key limited to the CRM invalid, and still fails a refused key', () => {
		const { test } = new PerspectiveApi();
		// n8n's credential tester: a thrown non-2xx fails the test; otherwise a rule matching the body does.
		const verdict = (status: number, body: IDataObject) => {
			if (status >= 300 && !test.request.ignoreHttpStatusErrors) return 'Error';
			const rule = (test.rules ?? []).find(
				(candidate) => candidate.type === 'responseSuccessBody' && body[candidate.properties.key] === candidate.properties.value,
			);
			return rule ? 'Error' : 'OK';
		};
		expect(verdict(403, { error: 'API key lacks the workspaces permission', status: 403 })).toBe('OK');
		expect(verdict(401, { error: 'Invalid or unauthorized API key', status: 401 })).toBe('Error');
		expect(verdict(200, { data: [] })).toBe('OK');
	});

	it('a key limited to the CRM reads contacts, and a 403 names what the API said', async () => {
		const contacts = await run({ resource: 'contact', operation: 'getAll', funnel: FUNNEL, returnAll: false, limit: 2, options: {} }, CRM_KEY);
		expect(contacts).toHaveLength(2);
		await expect(
			run({ resource: 'metric', operation: 'kpi', funnel: FUNNEL, subtype: 'kpi_new_contacts', ...PERIOD, options: {} }, CRM_KEY),
		).rejects.toMatchObject({ message: 'no metrics:read', httpCode: '403' });
	});
});

describe('hostile servers and IDs', () => {
	beforeEach(() => {
		model.misbehave.ignorePage = true;
	});

	it('Get Many with Return All ends against a server that repeats its page with hasNext true', async () => {
		const contacts = await run({ resource: 'contact', operation: 'getAll', funnel: FUNNEL, returnAll: true, options: {} });
		expect(contacts).toHaveLength(100);
		expect(contactRequests().length).toBeLessThanOrEqual(2);
	});

	it('records without an ID do not pile up: the answer is refused as not documented', async () => {
		model.misbehave.dropIds = true;
		const failure = await run({ resource: 'contact', operation: 'getAll', funnel: FUNNEL, returnAll: true, options: {} }).catch(
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(Error);
		expect((failure as Error).message).toMatch(/data\.0: expected each record to have an "id"/);
		expect(contactRequests()).toHaveLength(1);
	});

	it("the poll's first reading ends against a repeating server, and later polls still run", async () => {
		funnel.contacts.splice(50);
		const staticData: IDataObject = {};
		expect(await poll(staticData)).toBeNull();
		expect(contactRequests().length).toBeLessThanOrEqual(2);
		model.misbehave.ignorePage = false;
		addLeads(funnel, 'new', 1, () => T0 + 600_000);
		expect((await poll(staticData))![0].map((item) => item.json.id)).toEqual(['new0']);
	});

	it("the editor's sample ends against a repeating server", async () => {
		funnel.contacts.splice(0, funnel.contacts.length, ...Array.from({ length: 150 }, (_, index) => apiContact(`v${index}`, null)));
		expect(await poll({}, {}, 'manual')).toBeNull();
		expect(contactRequests().length).toBeLessThanOrEqual(2);
	});

	it("(regression) a poll that fails releases the poll's lock, so the next poll runs", async () => {
		model.misbehave.ignorePage = false;
		const staticData: IDataObject = {};
		await poll(staticData);
		model.force(1, 500, { error: 'Internal error', status: 500 });
		await expect(poll(staticData)).rejects.toMatchObject({ message: 'Internal error' });
		addLeads(funnel, 'new', 1, () => T0 + 600_000);
		expect((await poll(staticData))![0].map((item) => item.json.id)).toEqual(['new0']);
	});

	it.each([
		['contact ID ..', { resource: 'contact', operation: 'get', funnel: FUNNEL, contactId: '..' }],
		['contact ID .', { resource: 'contact', operation: 'get', funnel: FUNNEL, contactId: '.' }],
		['contact ID .. on Update Field', { resource: 'contact', operation: 'updateField', funnel: FUNNEL, contactId: '..', fieldName: 'city', field: 'city', value: 'x' }],
		['contact ID with a slash', { resource: 'contact', operation: 'get', funnel: FUNNEL, contactId: 'c1/../c2' }],
		['funnel ID .. by expression', { resource: 'contact', operation: 'get', funnel: { __rl: true, mode: 'id', value: '..' }, contactId: 'c1' }],
		['insight ID ..', { resource: 'metric', operation: 'insight', funnel: FUNNEL, insightId: '..', ...PERIOD, options: {} }],
	])('%s is refused before any request', async (_, parameters) => {
		await expect(run(parameters as Record<string, ParameterValue>)).rejects.toMatchObject({
			message: expect.stringMatching(/ID is not usable: it may hold only letters, digits/),
			description: expect.stringMatching(/without spaces, slashes or the rest of an address/),
		});
		expect(model.requests).toHaveLength(0);
	});

	it("a network failure keeps the node's own message and the item index", async () => {
		const { context } = fakeApiContext(
			{ credentials: { apiKey: KEY, baseUrl: server.url }, parameters: { resource: 'contact', operation: 'get', funnel: FUNNEL, contactId: 'c1' } },
			'execute',
		);
		// n8n core already throws a NodeApiError when the connection is refused
		(context.helpers as unknown as { httpRequestWithAuthentication: (type: string, options: IHttpRequestOptions) => Promise<unknown> }).httpRequestWithAuthentication =
			async function (this: IExecuteFunctions) {
				throw new NodeApiError(this.getNode(), { message: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED' }, { message: 'The service refused the connection - perhaps it is offline' });
			};
		const failure = (await new PerspectiveFunnel().execute.call(context).catch((error: unknown) => error)) as NodeApiError;
		expect(failure).toBeInstanceOf(NodeApiError);
		expect(failure.message).toBe(`The Perspective API at ${server.url} could not be reached`);
		expect(failure.context.itemIndex).toBe(0);
	});
});
