/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/** The contract server refuses what the sources say the API refuses, in the documented error body. */
import { PerspectiveApiModel, apiContact } from './perspectiveApiServer';

const KEY = 'k_model_0123456789';
const PERIOD = { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' };

function setup(requests = 100) {
	const model = new PerspectiveApiModel(KEY, { requests, windowMs: 60_000 }, () => 0);
	const funnel = model.addFunnel({ id: 'w1', name: 'Marketing' }, { id: 'f1', name: 'Solar check' });
	funnel.contacts.push(apiContact('c1', Date.parse('2026-11-20T10:00:00.000Z')));
	const ask = (method: string, path: string, query: Record<string, string> = {}, body?: unknown, key = KEY) =>
		model.handle(method, path, query, { 'x-perspective-api-key': key }, body);
	return { model, funnel, ask };
}

describe('the contract server', () => {
	it.each([
		['an unknown sort field', 'GET', '/v1/funnels/f1/contacts', { sortField: 'ps_first_seen_at' }, undefined, 'Invalid sortField: ps_first_seen_at'],
		['an unknown KPI', 'GET', '/v1/funnels/f1/metrics/kpis/visits', PERIOD, undefined, 'KPI not found'],
		['an unknown chart', 'GET', '/v1/funnels/f1/metrics/charts/visits', PERIOD, undefined, 'Chart not found'],
		['abTest on another chart', 'GET', '/v1/funnels/f1/metrics/charts/chart_visitor_devices', { ...PERIOD, abTest: 'all' }, undefined, 'abTest is not supported for chart_visitor_devices'],
		['from equal to to', 'GET', '/v1/funnels/f1/metrics/kpis/kpi_new_contacts', { from: PERIOD.from, to: PERIOD.from }, undefined, 'from must be before to'],
		['a ps_* field name', 'PUT', '/v1/funnels/f1/contacts/c1/values', {}, { fieldName: 'ps_source', value: 'x' }, 'reserved field: ps_source'],
		['a value that is not text', 'PUT', '/v1/funnels/f1/contacts/c1/values', {}, { fieldName: 'score', value: 42 }, 'value must be a string'],
		['the old body { field, value }', 'PUT', '/v1/funnels/f1/contacts/c1/values', {}, { field: 'city', value: 'x' }, 'fieldName is required'],
		['meta on create', 'POST', '/v1/funnels/f1/contacts', {}, { email: 'a@example.com', meta: {} }, 'meta cannot be set when creating a contact'],
	])('refuses %s with 400 and { error, status }', (_, method, path, query, body, error) => {
		const { ask } = setup();
		expect(ask(method, path, query, body)).toEqual({ status: 400, body: { error, status: 400 } });
	});

	it('tells a missing key from a wrong one (401) and a key without the permission (403)', () => {
		const { model, ask } = setup();
		model.scopedKeys.set('k_crm', new Set(['crm']));
		expect(ask('GET', '/v1/workspaces', {}, undefined, '').body).toEqual({ error: 'API key is required', status: 401 });
		expect(ask('GET', '/v1/workspaces', {}, undefined, 'nope').body).toEqual({ error: 'Invalid or unauthorized API key', status: 401 });
		expect(ask('GET', '/v1/workspaces', {}, undefined, 'k_crm')).toEqual({
			status: 403,
			body: { error: 'API key lacks the workspaces permission', status: 403 },
		});
		expect(ask('GET', '/v1/funnels/f1/contacts', {}, undefined, 'k_crm').status).toBe(200);
	});

	it('answers the documented shapes: campaigns, pages with meta, times under meta, the value record, 201 on create', () => {
		const { ask } = setup();
		expect(ask('GET', '/v1/workspaces').body).toEqual({
			data: [{ id: 'w1', name: 'Marketing', campaigns: [{ id: 'f1', name: 'Solar check', status: 'online' }] }],
		});
		const list = ask('GET', '/v1/funnels/f1/contacts').body as { data: Array<{ meta: object }>; meta: object };
		expect(list.meta).toEqual({ total: 1, page: 0, limit: 50, hasNext: false });
		expect(list.data[0].meta).toEqual({ ps_converted_at: '2026-11-20T10:00:00.000Z', ps_timezone: 'Europe/Berlin' });
	});

	it('answers 429 with retryAfter past 100 requests a minute (3 here)', () => {
		const { ask } = setup(3);
		for (let index = 0; index < 3; index++) expect(ask('GET', '/v1/workspaces').status).toBe(200);
		expect(ask('GET', '/v1/workspaces')).toEqual({ status: 429, body: { error: 'Too many requests', status: 429, retryAfter: 60 } });
	});

	it('sets address parts by their flat names (zip as postalCode) and other names as custom properties', () => {
		const { funnel, ask } = setup();
		expect(ask('PUT', '/v1/funnels/f1/contacts/c1/values', {}, { fieldName: 'zip', value: '10115' }).body).toEqual({
			data: { id: expect.stringMatching(/^val_/), fieldName: 'zip', value: '10115', updatedAt: expect.any(String) },
		});
		ask('PUT', '/v1/funnels/f1/contacts/c1/values', {}, { fieldName: 'quiz_answer', value: 'B' });
		expect(funnel.contacts[0]).toMatchObject({ address: { city: 'Berlin', postalCode: '10115' }, properties: { quiz_answer: 'B' } });
		expect(ask('POST', '/v1/funnels/f1/contacts', {}, { phone: '+49 30 1234' }).status).toBe(201);
	});
});
