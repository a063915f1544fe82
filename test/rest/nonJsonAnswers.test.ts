/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * A 2xx that is not the documented JSON (a proxy's or captive portal's HTML page, plain text,
 * JSON of another shape) is an error, never an empty or null item. A tiny local server answers
 * every request as the test says; the contract server encodes only documented behaviour.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { NodeApiError, type IDataObject } from 'n8n-workflow';

import { PerspectiveFunnel } from '../../nodes/PerspectiveFunnel/PerspectiveFunnel.node';
import { PerspectiveFunnelPollTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelPollTrigger.node';
import { fakeApiContext, type ParameterValue } from '../helpers/fakeApiContext';

/** What the server answers next: status, content type and body text. */
let answer = { status: 200, contentType: 'text/html; charset=utf-8', body: '' };
let server: Server;
let url = '';

beforeAll(async () => {
	server = createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			response.writeHead(answer.status, { 'content-type': answer.contentType });
			response.end(answer.body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

const FUNNEL = { __rl: true, mode: 'id', value: 'f1' };
/** A captive portal's page, with personal data in it that no error may repeat. */
const PORTAL = '<!doctype html><html><body>Welcome back, ada@example.com! Please log in to the hotel Wi-Fi.</body></html>';

const OPERATIONS: Array<[string, Record<string, ParameterValue>]> = [
	['Create', { resource: 'contact', operation: 'create', funnel: FUNNEL, email: 'ada@example.com', phone: '', additionalFields: {} }],
	['Get', { resource: 'contact', operation: 'get', funnel: FUNNEL, contactId: 'c1', simplify: true }],
	['Get (not simplified)', { resource: 'contact', operation: 'get', funnel: FUNNEL, contactId: 'c1', simplify: false }],
	['Update Field', { resource: 'contact', operation: 'updateField', funnel: FUNNEL, contactId: 'c1', fieldName: 'city', value: 'Hamburg', options: {} }],
	['Get Many', { resource: 'contact', operation: 'getAll', funnel: FUNNEL, returnAll: false, limit: 5, options: {} }],
];

async function run(parameters: Record<string, ParameterValue>) {
	const { context } = fakeApiContext({ credentials: { apiKey: 'k_0123456789', baseUrl: url }, parameters }, 'execute');
	const [output] = await new PerspectiveFunnel().execute.call(context);
	return output.map((item) => item.json);
}

async function failureOf(parameters: Record<string, ParameterValue>): Promise<NodeApiError> {
	const outcome = await run(parameters).then(
		(items) => new Error(`expected an error, got ${JSON.stringify(items)}`),
		(error: unknown) => error,
	);
	if (!(outcome instanceof NodeApiError)) throw outcome;
	return outcome;
}

describe('a 2xx that is not JSON', () => {
	it.each(OPERATIONS)('%s: fails, saying what came back (type and length, not the text) and what to check', async (_name, parameters) => {
		answer = { status: 200, contentType: 'text/html; charset=utf-8', body: PORTAL };
		const error = await failureOf(parameters);
		expect(error.message).toBe('The Perspective API answered 200, but not with JSON');
		expect(error.description).toContain(`text/html, ${PORTAL.length} characters`);
		expect(error.description).toContain('Base URL');
		expect(error.description).toContain('proxy');
		expect(JSON.stringify({ ...error, message: error.message, description: error.description })).not.toMatch(/ada@example\.com|Wi-Fi|doctype/i);
	});

	it.each<[string, string, string, string]>([
		['plain text', 'text/plain', 'OK', 'text/plain, 2 characters'],
		['an empty body', 'text/html', '', 'text/html, empty'],
		['no content type', '', 'hello', 'no content type, 5 characters'],
	])('Create: %s is refused too', async (_name, contentType, body, said) => {
		answer = { status: 201, contentType, body };
		const error = await failureOf(OPERATIONS[0][1]);
		expect(error.message).toBe('The Perspective API answered 201, but not with JSON');
		expect(error.description).toContain(said);
	});

	it.each([502, 503, 404])('an error status %i with a text page: the status and the fix, the page by type and length only', async (status) => {
		answer = { status, contentType: 'text/html; charset=utf-8', body: PORTAL };
		const error = await failureOf(OPERATIONS[1][1]);
		expect(error.httpCode).toBe(String(status));
		expect(error.description).toContain(`text/html, ${PORTAL.length} characters (not shown`);
		expect(JSON.stringify({ ...error, message: error.message, description: error.description })).not.toMatch(/ada@example\.com|Wi-Fi|doctype/i);
	});

	it('the poll trigger fails alike, and keeps no cursor', async () => {
		answer = { status: 200, contentType: 'text/html', body: PORTAL };
		const staticData: IDataObject = {};
		const { context } = fakeApiContext(
			{
				credentials: { apiKey: 'k_0123456789', baseUrl: url },
				parameters: { funnel: { __rl: true, mode: 'id', value: 'f1' }, event: 'newLead', options: {} },
				staticData,
			},
			'poll',
		);
		await expect(new PerspectiveFunnelPollTrigger().poll.call(context)).rejects.toMatchObject({
			message: 'The Perspective API answered 200, but not with JSON',
		});
		expect(staticData).toEqual({});
	});
});

describe('a 2xx of JSON in another shape than documented', () => {
	it.each<[string, string, Record<string, ParameterValue>, RegExp]>([
		['Create', '{"ok":true}', OPERATIONS[0][1], /^The Perspective API's answer to Create is not a contact: JSON holding an object without an "id"$/],
		['Create', '[]', OPERATIONS[0][1], /^The Perspective API's answer to Create is not a contact: JSON holding a list$/],
		['Create', '{"data":{"email":"x"}}', OPERATIONS[0][1], /not a contact/],
		['Get', '{"ok":true}', OPERATIONS[1][1], /^The Perspective API's answer to Get is not a contact/],
		['Get', '42', OPERATIONS[1][1], /^The Perspective API's answer to Get is not a contact: JSON holding a number$/],
		['Get (not simplified)', '{"data":[]}', OPERATIONS[2][1], /not a contact: JSON holding a list/],
		['Update Field', '{"ok":true}', OPERATIONS[3][1], /^The Perspective API's answer to Update Field is not a field value/],
		['Update Field', '[{"fieldName":"city"}]', OPERATIONS[3][1], /not a field value: JSON holding a list/],
		['Update Field', 'null', OPERATIONS[3][1], /not a field value: JSON holding null/],
	])('%s: %s is refused', async (_name, body, parameters, message) => {
		answer = { status: 200, contentType: 'application/json', body };
		const error = await failureOf(parameters);
		expect(error.message).toMatch(message);
		expect(error.description).toContain('Base URL');
	});

	it.each<[string, Record<string, ParameterValue>, string, IDataObject]>([
		['Create, wrapped as { data }', OPERATIONS[0][1], '{"data":{"id":"cnt_1","email":"ada@example.com"}}', { id: 'cnt_1', email: 'ada@example.com' }],
		['Create, bare', OPERATIONS[0][1], '{"id":"cnt_1"}', { id: 'cnt_1' }],
		['Get, an _id', OPERATIONS[2][1], '{"data":{"_id":"c1","email":"a@b.c"}}', { _id: 'c1', email: 'a@b.c' }],
		['Update Field, the documented record', OPERATIONS[3][1], '{"id":"val_1","fieldName":"city","value":"Hamburg","updatedAt":"2026-12-05T10:00:00.000Z"}', { id: 'val_1', fieldName: 'city' }],
		['Update Field, with fields the sources do not name', OPERATIONS[3][1], '{"data":{"fieldName":"city","value":"Hamburg","extra":1}}', { fieldName: 'city', extra: 1 }],
	])('%s: still accepted', async (_name, parameters, body, expected) => {
		answer = { status: 200, contentType: 'application/json; charset=utf-8', body };
		const [item] = await run(parameters);
		expect(item).toMatchObject(expected);
	});
});
