/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * The action node over real HTTP against the local contract server: operations, paging, paired
 * items, errors, Continue On Fail and the 429 wait.
 */
import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { PerspectiveFunnel } from '../../nodes/PerspectiveFunnel/PerspectiveFunnel.node';
import { PerspectiveApiModel, apiContact, startPerspectiveApi, type FunnelData } from '../contract/perspectiveApiServer';
import { fakeApiContext, type ParameterValue } from '../helpers/fakeApiContext';

const KEY = 'k_node_test_0123456789';
const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const FUNNEL = { __rl: true, mode: 'id', value: 'f1' };

let model: PerspectiveApiModel;
let funnel: FunnelData;
let server: { url: string; close: () => Promise<void> };

beforeEach(async () => {
	model = new PerspectiveApiModel(KEY);
	funnel = model.addFunnel({ id: 'w1', name: 'Marketing' }, { id: 'f1', name: 'Solar check' });
	model.addFunnel({ id: 'w1', name: 'Marketing' }, { id: 'f2', name: 'Roof quiz' });
	for (let index = 0; index < 250; index++) funnel.contacts.push(apiContact(`c${index}`, T0 + index * 1000 + 500));
	funnel.insights.question_1234 = { title: 'Roof type?', answers: { Flat: 3, Gable: 1 } };
	server = await startPerspectiveApi(model);
});

afterEach(async () => {
	await server.close();
});

async function run(parameters: Record<string, ParameterValue>, options: { items?: number; continueOnFail?: boolean; apiKey?: string } = {}) {
	const { context, http } = fakeApiContext(
		{
			credentials: { apiKey: options.apiKey ?? KEY, baseUrl: `${server.url}/` },
			parameters,
			items: options.items,
			continueOnFail: options.continueOnFail,
		},
		'execute',
	);
	const [output] = await new PerspectiveFunnel().execute.call(context);
	return { output, http };
}

const json = (output: Array<{ json: IDataObject }>) => output.map((item) => item.json);

describe('Contact', () => {
	it('Get Many with Return All follows every page, newest first, each item paired with its input', async () => {
		const { output, http } = await run({ resource: 'contact', operation: 'getAll', funnel: FUNNEL, returnAll: true, options: {} });
		expect(output).toHaveLength(250);
		expect(output[0].json.id).toBe('c249');
		expect(output[249].json.id).toBe('c0');
		expect(output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(http.map((request) => request.url)).toEqual([0, 1, 2].map(
			(page) => `/v1/funnels/f1/contacts?sortField=ps_converted_at&sortOrder=-1&page=${page}&limit=100`,
		));
		// Simplify is on by default: a few fields, the conversion time lifted out of meta
		expect(output[0].json).toEqual({
			id: 'c249',
			email: 'c249@example.com',
			phone: null,
			firstName: 'Name c249',
			lastName: null,
			status: 'lead',
			convertedAt: new Date(T0 + 249_500).toISOString(),
		});
	});

	it('Get Many with a limit stops there, in the order asked for', async () => {
		const { output } = await run({
			resource: 'contact',
			operation: 'getAll',
			funnel: FUNNEL,
			returnAll: false,
			limit: 120,
			simplify: false,
			options: { sortField: 'ps_converted_at', sortOrder: 1 },
		});
		expect(json(output).map((contact) => contact.id)).toEqual(Array.from({ length: 120 }, (_, index) => `c${index}`));
		expect(json(output)[0]).toEqual(funnel.contacts[0]);
	});

	it('Get returns the contact as the API gives it, once per input item', async () => {
		const { output } = await run(
			{ resource: 'contact', operation: 'get', funnel: FUNNEL, simplify: false, contactId: (index: number) => `c${index + 10}` },
			{ items: 2 },
		);
		expect(json(output)).toEqual([funnel.contacts[10], funnel.contacts[11]]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('Create sends only what was given, status and the whole address included, and returns the new contact (201)', async () => {
		const { output } = await run({
			resource: 'contact',
			operation: 'create',
			funnel: FUNNEL,
			email: ' ada@example.com ',
			phone: '',
			additionalFields: {
				firstName: 'Ada',
				status: 'lead',
				address: { value: { city: 'Berlin', street: 'Hauptstr.', houseNumber: '5a', state: 'Berlin', postalCode: '' } },
				skipAutomationTrigger: true,
			},
		});
		expect(model.requests.at(-1)).toMatchObject({
			method: 'POST',
			path: '/v1/funnels/f1/contacts',
			status: 201,
			body: {
				email: 'ada@example.com',
				firstName: 'Ada',
				status: 'lead',
				address: { street: 'Hauptstr.', houseNumber: '5a', city: 'Berlin', state: 'Berlin' },
				skipAutomationTrigger: true,
			},
		});
		expect(json(output)[0]).toMatchObject({ id: 'cnt_1', email: 'ada@example.com', status: 'lead', address: { city: 'Berlin', houseNumber: '5a' } });
		expect(funnel.contacts).toHaveLength(251);
	});

	it('Create without email or phone fails before calling the API', async () => {
		const before = model.requests.length;
		await expect(
			run({ resource: 'contact', operation: 'create', funnel: FUNNEL, email: ' ', phone: '', additionalFields: {} }),
		).rejects.toMatchObject({
			message: 'Neither Email nor Phone was given',
			description: 'Perspective creates a contact from an email address or a phone number: fill in at least one of them',
		});
		expect(model.requests).toHaveLength(before);
	});

	it('Update Field sends { fieldName, value } with the address part by its flat name and returns the value record', async () => {
		const { output } = await run({
			resource: 'contact',
			operation: 'updateField',
			funnel: FUNNEL,
			contactId: 'c3',
			fieldName: 'city',
			value: 'Hamburg',
			options: { skipAutomationTrigger: true },
		});
		expect(model.requests.at(-1)).toMatchObject({
			method: 'PUT',
			path: '/v1/funnels/f1/contacts/c3/values',
			body: { fieldName: 'city', value: 'Hamburg', skipAutomationTrigger: true },
			status: 200,
		});
		expect(json(output)).toEqual([{ id: expect.stringMatching(/^val_/), fieldName: 'city', value: 'Hamburg', updatedAt: expect.any(String) }]);
		expect(funnel.contacts[3].address).toEqual({ city: 'Hamburg' });
	});
});

describe('Metric and Workspace', () => {
	it.each([
		['kpi', 'subtype', 'kpi_new_contacts', 'kpis', { type: 'kpi_new_contacts', value: 3 }],
		['chart', 'subtype', 'chart_contacts_over_time', 'charts', { data: [{ key: 'contacts', value: 3 }] }],
		['insight', 'insightId', 'question_1234', 'insights', { title: 'Roof type?', answers: { Flat: 3, Gable: 1 } }],
	])('%s reads the period given, as ISO 8601 in UTC, with the offset in minutes', async (operation, name, which, kind, expected) => {
		const { output } = await run({
			resource: 'metric',
			operation,
			funnel: FUNNEL,
			[name]: which,
			from: '2026-11-20T11:00:00+01:00',
			to: new Date(T0 + 2600).toISOString(),
			options: { offset: 60 },
		});
		const asked = model.requests.at(-1)!;
		expect(asked).toMatchObject({ path: `/v1/funnels/f1/metrics/${kind}/${which}`, status: 200 });
		expect(asked.query).toEqual({ from: '2026-11-20T10:00:00.000Z', to: '2026-11-20T10:00:02.600Z', offset: '60' });
		expect(json(output)[0]).toMatchObject(expected);
	});

	it('refuses a period that does not start before it ends, naming the field', async () => {
		await expect(
			run({ resource: 'metric', operation: 'kpi', funnel: FUNNEL, subtype: 'kpi_new_contacts', from: '2026-11-21', to: '2026-11-20', options: {} }),
		).rejects.toThrow('From is not before To');
		await expect(
			run({ resource: 'metric', operation: 'kpi', funnel: FUNNEL, subtype: 'kpi_new_contacts', from: '2026-11-20', to: '2026-11-20', options: {} }),
		).rejects.toThrow('From is not before To');
		await expect(
			run({ resource: 'metric', operation: 'kpi', funnel: FUNNEL, subtype: 'kpi_new_contacts', from: 'soon', to: '2026-11-20', options: {} }),
		).rejects.toThrow('From is not a date and time');
		expect(model.requests).toHaveLength(0);
	});

	it('Workspace Get Many returns each workspace with its funnels', async () => {
		const { output } = await run({ resource: 'workspace', operation: 'getAll', returnAll: true });
		expect(json(output)).toEqual([
			{
				id: 'w1',
				name: 'Marketing',
				campaigns: [
					{ id: 'f1', name: 'Solar check', status: 'online' },
					{ id: 'f2', name: 'Roof quiz', status: 'online' },
				],
			},
		]);
	});

	it('lists funnels for the picker, filtered by name', async () => {
		const { context } = fakeApiContext({ credentials: { apiKey: KEY, baseUrl: server.url }, parameters: {} }, 'execute');
		const found = await new PerspectiveFunnel().methods.listSearch.searchFunnels.call(context as never, 'roof');
		expect(found).toEqual({ results: [{ name: 'Roof quiz (Marketing)', value: 'f2' }] });
	});
});

describe('errors', () => {
	it("a refused key becomes a NodeApiError with the API's message and the status", async () => {
		const failure = await run({ resource: 'contact', operation: 'get', funnel: FUNNEL, contactId: 'c1' }, { apiKey: 'wrong' }).catch(
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(NodeApiError);
		expect(failure).toMatchObject({ message: 'Invalid or unauthorized API key', httpCode: '401' });
		expect((failure as NodeApiError).description).toMatch(/^Check the Perspective API credential/);
	});

	it('an unknown contact is a 404 with the API message', async () => {
		await expect(run({ resource: 'contact', operation: 'get', funnel: FUNNEL, contactId: 'nobody' })).rejects.toMatchObject({
			message: 'Contact not found',
			httpCode: '404',
		});
	});

	it('Continue On Fail turns the failing item into an error item and goes on with the others', async () => {
		const { output } = await run(
			{ resource: 'contact', operation: 'get', funnel: FUNNEL, simplify: false, contactId: (index: number) => (index === 1 ? 'nobody' : `c${index}`) },
			{ items: 3, continueOnFail: true },
		);
		expect(json(output)).toEqual([
			funnel.contacts[0],
			{ error: 'Contact not found', description: expect.stringMatching(/^Pick the funnel from the list/), httpCode: '404' },
			funnel.contacts[2],
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('a missing funnel is refused before any request', async () => {
		const failure = await run({ resource: 'contact', operation: 'get', funnel: { __rl: true, mode: 'list', value: '' }, contactId: 'c1' }).catch(
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(NodeOperationError);
		expect((failure as Error).message).toBe('No funnel was given in the Funnel parameter');
		expect((failure as NodeOperationError).description).toMatch(/^Pick a funnel from the list, paste its address from Perspective, or enter its ID/);
		expect(model.requests).toHaveLength(0);
	});

	it('waits out a 429 as retryAfter says, then succeeds', async () => {
		model.force(2, 429, { error: 'Too many requests', status: 429, retryAfter: 1 });
		const started = Date.now();
		const { output, http } = await run({ resource: 'contact', operation: 'get', funnel: FUNNEL, simplify: false, contactId: 'c5' });
		expect(json(output)).toEqual([funnel.contacts[5]]);
		expect(http.map((request) => request.status)).toEqual([429, 429, 200]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
	});

	it('keeps within the rate limit of the contract server, waiting when it is reached', async () => {
		// a tight limit so the test runs in seconds: 3 requests per 2 s
		await server.close();
		model = new PerspectiveApiModel(KEY, { requests: 3, windowMs: 2000 });
		funnel = model.addFunnel({ id: 'w1', name: 'Marketing' }, { id: 'f1', name: 'Solar check' });
		for (let index = 0; index < 450; index++) funnel.contacts.push(apiContact(`c${index}`, T0 + index));
		server = await startPerspectiveApi(model);
		const { output, http } = await run({ resource: 'contact', operation: 'getAll', funnel: FUNNEL, returnAll: true, options: {} });
		expect(output).toHaveLength(450);
		expect(http.filter((request) => request.status === 429).length).toBeGreaterThan(0);
		expect(http.filter((request) => request.status === 200)).toHaveLength(5);
	});
});
