/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * The REST API nodes inside a real n8n (line N8N_LINE), talking over HTTP to the local contract
 * server: the action node through Webhook workflows, the poll trigger on n8n's own schedule
 * (every minute, the shortest n8n allows), its cursor kept across a restart.
 */
import {
	POLL_TRIGGER_NODE_NAME,
	actionWorkflow,
	apiCredential,
	pollWorkflow,
} from '../../scripts/lib/workflows';
import { PerspectiveApiModel, addLeads, apiContact, startPerspectiveApi, type FunnelData } from '../contract/perspectiveApiServer';
import { LINE, Suite } from './suite';

const KEY = 'k_e2e_0123456789abcdef';
const CRM_KEY = 'k_e2e_crm_only_0123456789';
const API_PORT = LINE === '1' ? 5841 : 5842;
const API_URL = `http://127.0.0.1:${API_PORT}`;
const POLL = { id: 'e2ePollWorkflow1' };
const GET_ALL = { id: 'e2eApiGetAllWf01', webhookId: 'e2e-api-getall' };
const CREATE = { id: 'e2eApiCreateWf01', webhookId: 'e2e-api-create' };
const WRONG_KEY = { id: 'e2eApiWrongKey01', webhookId: 'e2e-api-wrongkey' };
const UPDATE = { id: 'e2eApiUpdateWf01', webhookId: 'e2e-api-update' };
const CHART = { id: 'e2eApiChartWf001', webhookId: 'e2e-api-chart' };
const GET_V11 = { id: 'e2eApiGetV11Wf01', webhookId: 'e2e-api-get-v11' };
const GET_MANY_V11 = { id: 'e2eApiManyV11W01', webhookId: 'e2e-api-many-v11' };
/** A funnel with an ID of the shape Perspective's addresses show (24 hex digits), for the URL mode. */
const HEX_FUNNEL_ID = '64f1c0ffee0123456789abcd';
const NOW = Date.now();
// one execution per poll; n8n polls every minute at the earliest
const POLL_WAIT_MS = 150_000;

const model = new PerspectiveApiModel(KEY);
model.scopedKeys.set(CRM_KEY, new Set(['crm']));
const pollFunnel: FunnelData = model.addFunnel({ id: 'w1', name: 'Marketing' }, { id: 'f_poll', name: 'Solar check' });
const actionFunnel: FunnelData = model.addFunnel({ id: 'w1', name: 'Marketing' }, { id: 'f_action', name: 'Roof quiz' });
const hexFunnel: FunnelData = model.addFunnel({ id: 'w1', name: 'Marketing' }, { id: HEX_FUNNEL_ID, name: 'Window check' });
let server: { close: () => Promise<void> };
let suite: Suite;

const pollRequests = () => model.requests.filter((request) => request.path === '/v1/funnels/f_poll/contacts');

/** The poll trigger's executions, waiting for `count` in all (manual runs included). */
const pollExecutions = async (count = 0, mode: 'trigger' | 'manual' = 'trigger') =>
	(await suite.executions(POLL.id, count, count === 0 ? 0 : POLL_WAIT_MS, POLL_TRIGGER_NODE_NAME)).filter(
		(execution) => execution.mode === mode,
	);

beforeAll(async () => {
	addLeads(pollFunnel, 'before', 5, (index) => NOW - 3_600_000 + index * 1000);
	pollFunnel.contacts.push(apiContact('visitor', null));
	addLeads(actionFunnel, 'a', 230, (index) => NOW - 7_200_000 + index * 1000);
	addLeads(hexFunnel, 'h', 5, (index) => NOW - 600_000 + index * 1000);
	server = await startPerspectiveApi(model, API_PORT);
	suite = await Suite.start(
		'restapi',
		LINE === '1' ? 5821 : 5822,
		[
			pollWorkflow({ ...POLL, name: 'E2E poll', funnelId: 'f_poll', event: 'newLead', credentialId: 'e2eApiCredent01' }),
			actionWorkflow({
				...GET_ALL,
				name: 'E2E get many',
				credentialId: 'e2eApiCredent01',
				parameters: {
					resource: 'contact',
					operation: 'getAll',
					funnel: { __rl: true, mode: 'id', value: 'f_action' },
					returnAll: true,
					options: {},
				},
			}),
			actionWorkflow({
				...CREATE,
				name: 'E2E create',
				credentialId: 'e2eApiCredent01',
				parameters: {
					resource: 'contact',
					operation: 'create',
					funnel: { __rl: true, mode: 'id', value: 'f_action' },
					email: '={{ $json.body.email }}',
					additionalFields: { firstName: '={{ $json.body.firstName }}' },
				},
			}),
			actionWorkflow({
				...UPDATE,
				name: 'E2E update field',
				credentialId: 'e2eApiCredent01',
				continueOnFail: true,
				parameters: {
					resource: 'contact',
					operation: 'updateField',
					funnel: { __rl: true, mode: 'id', value: 'f_action' },
					contactId: '={{ $json.body.contactId }}',
					fieldName: 'city',
					value: '={{ $json.body.value }}',
					options: {},
				},
			}),
			actionWorkflow({
				...CHART,
				name: 'E2E chart',
				credentialId: 'e2eApiCredent01',
				parameters: {
					resource: 'metric',
					operation: 'chart',
					funnel: { __rl: true, mode: 'id', value: 'f_action' },
					subtype: 'chart_page_to_page_conversion_rate',
					from: '2026-11-01T00:00:00.000Z',
					to: '2026-12-01T00:00:00.000Z',
					options: { abTest: 'variant', offset: 120 },
				},
			}),
			actionWorkflow({
				...GET_V11,
				name: 'E2E get 1.1',
				credentialId: 'e2eApiCredent01',
				typeVersion: 1.1,
				parameters: {
					resource: 'contact',
					operation: 'get',
					funnel: { __rl: true, mode: 'url', value: `https://app.perspective.co/funnel/${HEX_FUNNEL_ID}` },
					contactId: { __rl: true, mode: 'list', value: 'h3', cachedResultName: 'Name h3 (h3@example.com)' },
				},
			}),
			actionWorkflow({
				...GET_MANY_V11,
				name: 'E2E get many 1.1',
				credentialId: 'e2eApiCredent01',
				typeVersion: 1.1,
				parameters: {
					resource: 'contact',
					operation: 'getAll',
					funnel: { __rl: true, mode: 'id', value: HEX_FUNNEL_ID },
					returnAll: false,
					limit: 3,
					sort: { rule: { sortField: 'email', sortOrder: 1 } },
				},
			}),
			actionWorkflow({
				...WRONG_KEY,
				name: 'E2E wrong key',
				credentialId: 'e2eApiCredent02',
				continueOnFail: true,
				parameters: { resource: 'workspace', operation: 'getAll', returnAll: true },
			}),
		],
		[
			apiCredential('e2eApiCredent01', KEY, API_URL),
			apiCredential('e2eApiCredent02', 'not-the-key', API_URL),
			apiCredential('e2eApiCredent03', CRM_KEY, API_URL),
		],
	);
});

afterAll(async () => {
	await suite?.stop();
	await server?.close();
});

describe(`n8n ${LINE}.x: the REST API nodes in a real n8n`, () => {
	it("the credential's Test button lists workspaces with the key, reports a refused key and accepts a key limited to the CRM", async () => {
		const before = model.requests.length;
		// n8n tests a stored credential, with the data the editor's form holds
		const ok = await suite.testCredential(apiCredential('e2eApiCredent01', KEY, `${API_URL}/`));
		expect(ok.status).toBe('OK');
		expect(model.requests.slice(before).map((request) => [request.method, request.path, request.status])).toEqual([
			['GET', '/v1/workspaces', 200],
		]);
		const refused = await suite.testCredential(apiCredential('e2eApiCredent02', 'not-the-key', API_URL));
		expect(refused).toMatchObject({ status: 'Error', message: expect.stringContaining('refused the API key (401)') });
		expect(model.requests.at(-1)).toMatchObject({ path: '/v1/workspaces', status: 401 });
		const scoped = await suite.testCredential(apiCredential('e2eApiCredent03', CRM_KEY, API_URL));
		expect(scoped.status).toBe('OK');
		expect(model.requests.at(-1)).toMatchObject({ path: '/v1/workspaces', status: 403 });
	});

	it('n8n offers the action node to AI agents as a tool, and loads all three nodes', async () => {
		const types = await suite.nodeTypes();
		const ours = types.filter((type) => type.name.startsWith('n8n-nodes-perspective-funnel.')).map((type) => type.name);
		expect(ours.sort()).toEqual([
			'n8n-nodes-perspective-funnel.perspectiveFunnel',
			'n8n-nodes-perspective-funnel.perspectiveFunnelPollTrigger',
			'n8n-nodes-perspective-funnel.perspectiveFunnelTool',
			'n8n-nodes-perspective-funnel.perspectiveFunnelTrigger',
		]);
		expect(types.find((type) => type.name === 'n8n-nodes-perspective-funnel.perspectiveFunnelTool')?.outputs).toEqual(['ai_tool']);
	});

	it('Get Many with Return All reads every page through the credential', async () => {
		const reply = await suite.post(suite.url(GET_ALL.webhookId), { run: 1 });
		expect(reply.status).toBe(200);
		const contacts = reply.body as unknown as Array<Record<string, unknown>>;
		expect(contacts).toHaveLength(230);
		expect(new Set(contacts.map((contact) => contact.id)).size).toBe(230);
		// Simplify is on by default
		expect(contacts[0]).toEqual({
			id: 'a229',
			email: 'a229@example.com',
			phone: null,
			firstName: 'Name a229',
			lastName: null,
			status: 'lead',
			convertedAt: expect.any(String),
		});
	});

	it('Create sends the expression values and answers the new contact', async () => {
		const reply = await suite.post(suite.url(CREATE.webhookId), { email: 'new@example.com', firstName: 'Grace' });
		expect(reply.status).toBe(200);
		expect(reply.body).toEqual([expect.objectContaining({ email: 'new@example.com', firstName: 'Grace', id: expect.any(String) })]);
		expect(model.requests.filter((request) => request.method === 'POST').at(-1)).toMatchObject({
			status: 201,
			body: { email: 'new@example.com', firstName: 'Grace' },
		});
	});

	it('Update Field sends { fieldName, value } and answers the value record; an ID of .. never reaches the API', async () => {
		const reply = await suite.post(suite.url(UPDATE.webhookId), { contactId: 'a5', value: 'Hamburg' });
		expect(reply.body).toEqual([{ id: expect.any(String), fieldName: 'city', value: 'Hamburg', updatedAt: expect.any(String) }]);
		expect(model.requests.at(-1)).toMatchObject({
			method: 'PUT',
			path: '/v1/funnels/f_action/contacts/a5/values',
			body: { fieldName: 'city', value: 'Hamburg' },
			status: 200,
		});
		const before = model.requests.length;
		const refused = await suite.post(suite.url(UPDATE.webhookId), { contactId: '..', value: 'x' });
		expect(refused.body).toEqual([
			{
				error: 'The Contact ID is not usable: it may hold only letters, digits, "_" and "-"',
				description: expect.stringContaining('without spaces, slashes or the rest of an address'),
			},
		]);
		expect(model.requests).toHaveLength(before);
	});

	it('Get Chart sends abTest for the page-to-page chart and the offset in minutes', async () => {
		const reply = await suite.post(suite.url(CHART.webhookId), {});
		expect(reply.body).toEqual([{ data: [{ key: 'contacts', value: expect.any(Number) }] }]);
		expect(model.requests.at(-1)).toMatchObject({
			path: '/v1/funnels/f_action/metrics/charts/chart_page_to_page_conversion_rate',
			query: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', abTest: 'variant', offset: '120' },
			status: 200,
		});
	});

	it('version 1.1: a pasted funnel address and a contact from the list reach the same endpoint in real n8n', async () => {
		const reply = await suite.post(suite.url(GET_V11.webhookId), {});
		expect(reply.body).toEqual([expect.objectContaining({ id: 'h3', email: 'h3@example.com' })]);
		expect(model.requests.at(-1)).toMatchObject({ method: 'GET', path: `/v1/funnels/${HEX_FUNNEL_ID}/contacts/h3`, status: 200 });
	});

	it('version 1.1: Sort in its own collection sends the same query as Options did', async () => {
		const reply = await suite.post(suite.url(GET_MANY_V11.webhookId), {});
		expect((reply.body as unknown as Array<{ id: string }>).map((contact) => contact.id)).toEqual(['h0', 'h1', 'h2']);
		expect(model.requests.at(-1)).toMatchObject({
			path: `/v1/funnels/${HEX_FUNNEL_ID}/contacts`,
			query: { sortField: 'email', sortOrder: '1', page: '0', limit: '3' },
		});
	});

	it("a wrong key gives an error item with the API's message when errors continue", async () => {
		const reply = await suite.post(suite.url(WRONG_KEY.webhookId), {});
		expect(reply.status).toBe(200);
		expect(reply.body).toEqual([
			{
				error: 'Invalid or unauthorized API key',
				description: expect.stringContaining('Check the Perspective API credential'),
				httpCode: '401',
			},
		]);
	});

	it('the poll trigger sets its baseline at activation, then emits each new lead once, through a 429', async () => {
		// activation ran the first poll: it read the funnel and started nothing
		expect(pollRequests().length).toBeGreaterThan(0);
		expect(await pollExecutions()).toHaveLength(0);

		// 230 new leads over three pages, three of them at the same millisecond, a 429 on the way
		const at = Date.now() - 120_000;
		addLeads(pollFunnel, 'lead', 227, (index) => at + index * 100);
		for (const id of ['tie_a', 'tie_b', 'tie_c']) pollFunnel.contacts.push(apiContact(id, at + 50_000));
		model.force(1, 429, { error: 'Too many requests', status: 429, retryAfter: 2 });

		const [execution] = await pollExecutions(1);
		expect(execution).toMatchObject({ status: 'success', mode: 'trigger' });
		const ids = execution.items.map((item) => item.id);
		expect(ids).toHaveLength(230);
		expect(new Set(ids).size).toBe(230);
		expect(ids).toEqual(expect.arrayContaining(['lead0', 'lead226', 'tie_a', 'tie_b', 'tie_c']));
		expect(ids).not.toContain('before0');
		expect(execution.items[0]).toMatchObject({
			event: 'new_lead',
			id: 'lead0',
			funnelName: 'Solar check',
			meta: { converted: true },
			profile: { email: { value: 'lead0@example.com', title: 'Email' } },
		});
		expect(pollRequests().some((request) => request.status === 429)).toBe(true);
	});

	it("Fetch Test Event shows the newest lead and leaves the active workflow's cursor alone", async () => {
		addLeads(pollFunnel, 'later', 2, (index) => Date.now() - 1000 + index);
		expect(await suite.runManually(POLL.id, POLL_TRIGGER_NODE_NAME)).not.toContain('error');
		const [manual] = await pollExecutions(2, 'manual');
		expect(manual.items.map((item) => item.id)).toEqual(['later1']);
		expect(manual.items[0]).toMatchObject({ event: 'new_lead', funnelName: 'Solar check' });
	});

	it('the next poll emits only what arrived since, and a restart keeps the cursor', async () => {
		// 1 manual run so far, hence one more execution in all than scheduled polls
		const second = (await pollExecutions(3))[1];
		expect(second.items.map((item) => item.id)).toEqual(['later0', 'later1']);

		await suite.stop();
		addLeads(pollFunnel, 'whileDown', 1, () => Date.now());
		await suite.restart();
		// the activation poll after the restart, or the next scheduled one, emits only the newcomer
		const third = (await pollExecutions(4))[2];
		expect(third.items.map((item) => item.id)).toEqual(['whileDown0']);
		await new Promise((done) => setTimeout(done, 5000));
		expect(await pollExecutions()).toHaveLength(3);
	});
});
