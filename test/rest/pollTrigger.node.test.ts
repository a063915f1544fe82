/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/** The poll trigger over real HTTP against the local contract server, static data kept between polls. */
import type { IDataObject } from 'n8n-workflow';

import { PerspectiveFunnelPollTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelPollTrigger.node';
import { PerspectiveApiModel, addLeads as addLeadsAt, apiContact, startPerspectiveApi, type FunnelData } from '../contract/perspectiveApiServer';
import { fakeApiContext } from '../helpers/fakeApiContext';

const KEY = 'k_poll_test_0123456789';
const T0 = Date.parse('2026-11-20T10:00:00.000Z');

let model: PerspectiveApiModel;
let funnel: FunnelData;
let server: { url: string; close: () => Promise<void> };

beforeEach(async () => {
	model = new PerspectiveApiModel(KEY);
	funnel = model.addFunnel({ id: 'w1', name: 'Marketing' }, { id: 'f1', name: 'Solar check' });
	for (let index = 0; index < 5; index++) funnel.contacts.push(apiContact(`old${index}`, T0 + index * 1000 + 500));
	server = await startPerspectiveApi(model);
});

afterEach(async () => {
	await server.close();
});

function addLeads(prefix: string, count: number, startS: number) {
	addLeadsAt(funnel, prefix, count, (index) => T0 + startS * 1000 + index * 1000);
}

function trigger(staticData: IDataObject, parameters: IDataObject = {}, mode: 'trigger' | 'manual' = 'trigger') {
	const { context, http } = fakeApiContext(
		{
			credentials: { apiKey: KEY, baseUrl: server.url },
			parameters: { funnel: { __rl: true, mode: 'list', value: 'f1' }, event: 'newLead', options: {}, ...parameters },
			mode,
			staticData,
		},
		'poll',
	);
	return { poll: () => new PerspectiveFunnelPollTrigger().poll.call(context), http };
}

describe('Perspective Funnel Poll Trigger', () => {
	it('sets a baseline, then emits each new lead once, in the webhook format', async () => {
		const staticData: IDataObject = {};
		expect(await trigger(staticData).poll()).toBeNull();
		expect(typeof staticData.cursor).toBe('string');

		addLeads('new', 130, 600);
		const result = await trigger(staticData).poll();
		const items = result![0].map((item) => item.json);
		expect(items.map((item) => item.id)).toEqual(Array.from({ length: 130 }, (_, index) => `new${index}`));
		expect(items[0]).toEqual({
			event: 'new_lead',
			id: 'new0',
			funnelName: 'Solar check',
			meta: {
				createdAt: new Date(T0 + 600_000).toISOString(),
				lastSeenAt: new Date(T0 + 600_000).toISOString(),
				completedAt: null,
				convertedAt: new Date(T0 + 600_000).toISOString(),
				globalId: null,
				completed: false,
				converted: true,
			},
			profile: {
				firstName: { value: 'Name new0', title: 'First name' },
				email: { value: 'new0@example.com', title: 'Email' },
				status: { value: 'lead', title: 'status' },
				address: { city: { value: 'Berlin', title: 'City' } },
				roofType: { value: 'Flat;Gable', title: 'roofType' },
			},
		});
		expect(await trigger(staticData).poll()).toBeNull();
	});

	it('changes nothing when a poll fails midway, so the next poll emits what it missed', async () => {
		const staticData: IDataObject = {};
		await trigger(staticData).poll();
		const baseline = staticData.cursor;
		addLeads('new', 150, 600);
		// the third request, the funnel-name lookup after two pages, fails
		const failing = trigger(staticData);
		const original = model.handle.bind(model);
		let calls = 0;
		model.handle = (method, path, query, headers, body) =>
			++calls === 3 ? { status: 500, body: { error: 'Internal error', status: 500 } } : original(method, path, query, headers, body);
		await expect(failing.poll()).rejects.toMatchObject({ message: 'Internal error', httpCode: '500' });
		expect(staticData.cursor).toBe(baseline);
		model.handle = original;
		const retried = await trigger(staticData).poll();
		expect(retried![0]).toHaveLength(150);
	});

	it("returns the newest lead as the editor's sample and leaves the cursor alone", async () => {
		const staticData: IDataObject = {};
		await trigger(staticData).poll();
		const cursor = staticData.cursor;
		addLeads('new', 3, 600);
		const sample = await trigger(staticData, {}, 'manual').poll();
		expect(sample![0].map((item) => item.json.id)).toEqual(['new2']);
		expect(staticData.cursor).toBe(cursor);
		expect((await trigger(staticData).poll())![0]).toHaveLength(3);
	});

	it('offers the simplified format', async () => {
		const staticData: IDataObject = {};
		const parameters = { options: { outputFormat: 'simplified' } };
		await trigger(staticData, parameters).poll();
		funnel.contacts.push(apiContact('lead', T0 + 900_000));
		const items = (await trigger(staticData, parameters).poll())![0].map((item) => item.json);
		expect(items).toEqual([
			expect.objectContaining({
				event: 'new_lead',
				id: 'lead',
				converted: true,
				convertedAt: new Date(T0 + 900_000).toISOString(),
				fields: { firstName: 'Name lead', email: 'lead@example.com', status: 'lead', address: { city: 'Berlin' }, roofType: 'Flat;Gable' },
			}),
		]);
	});

	it('starts over with a baseline when another funnel is picked', async () => {
		const staticData: IDataObject = {};
		model.addFunnel({ id: 'w1', name: 'Marketing' }, { id: 'f2', name: 'Roof quiz' }).contacts.push(apiContact('other', T0));
		await trigger(staticData).poll();
		addLeads('new', 2, 600);
		expect(await trigger(staticData, { funnel: { __rl: true, mode: 'id', value: 'f2' } }).poll()).toBeNull();
	});

	it('lets a poll that starts while the last one still runs step aside, so nothing is emitted twice', async () => {
		const staticData: IDataObject = {};
		await trigger(staticData).poll();
		addLeads('new', 3, 600);
		// the first poll meets a 429 and waits a second; n8n starts the next one meanwhile
		model.force(1, 429, { error: 'Too many requests', status: 429, retryAfter: 1 });
		const slow = trigger(staticData).poll();
		await new Promise((done) => setTimeout(done, 200));
		expect(await trigger(staticData).poll()).toBeNull();
		expect((await slow)![0].map((item) => item.json.id)).toEqual(['new0', 'new1', 'new2']);
		// once it has finished, polls run again
		addLeads('later', 1, 900);
		expect((await trigger(staticData).poll())![0].map((item) => item.json.id)).toEqual(['later0']);
	});

	it('refuses to poll without a funnel', async () => {
		await expect(trigger({}, { funnel: { __rl: true, mode: 'list', value: '' } }).poll()).rejects.toThrow(
			'No funnel was given in the Funnel parameter',
		);
	});
});
