/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { PerspectiveFunnelTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelTrigger.node';
import { fakeWebhookContext, type FakeNode, type FakeRequest } from '../helpers/fakeWebhookContext';
import { freshWorkflowId, liveNode, sendToTrigger } from '../helpers/sendToTrigger';
import { T0, funnelCompletedBody, minutes, newLeadBody, responseSession } from '../fixtures/perspective';

const trigger = new PerspectiveFunnelTrigger();

// The fixtures' visits are dated 2026-11-27: the node receives them an hour later, whatever the
// day the tests run (on the real clock they would expire after Retention's 30 days).
beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(T0 + 60 * 60_000));
afterEach(() => jest.restoreAllMocks());
describe('node description', () => {
	const { description } = trigger;
	const property = (name: string) => description.properties.find((item) => item.name === name) as INodeProperties;

	it('is the trigger the workflows refer to', () => {
		expect(description).toMatchObject({ name: 'perspectiveFunnelTrigger', version: [1, 1.1], defaultVersion: 1.1, group: ['trigger'], inputs: [] });
		expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }]);
	});

	it('keeps the public parameter names, values and defaults', () => {
		expect(property('events')).toMatchObject({ type: 'multiOptions', required: true, default: ['newLead'] });
		expect(property('events').options?.map((option) => (option as { value: string }).value).sort()).toEqual(['funnelCompleted', 'newLead']);
		expect(property('authentication')).toMatchObject({ type: 'options', default: 'none' });
		expect(property('authentication').options?.map((option) => (option as { value: string }).value)).toEqual(['none', 'secretToken']);
		const options = Object.fromEntries((property('options').options as INodeProperties[]).map((option) => [option.name, option.default]));
		expect(options).toEqual({ funnelNames: '', funnelNameList: [], maxContacts: 10000, outputFormat: 'webhook', retentionDays: 30 });
		expect(description.credentials).toEqual([expect.objectContaining({ name: 'perspectiveFunnelWebhookApi', displayOptions: { show: { authentication: ['secretToken'] } } })]);
	});

	it('tells in the trigger panel, also once the workflow is published, which URL Perspective needs for a test and which for every lead', () => {
		const panel = description.triggerPanel as { header: string; executionsHelp: { active: string }; activationHint: { active: string } };
		expect(panel.header).toBe('Send one test lead from Perspective');
		expect(panel.executionsHelp.active).toMatch(/Execute step[\s\S]*Test URL[\s\S]*Perspective[\s\S]*One lead is enough[\s\S]*published[\s\S]*Production URL/);
		expect(panel.activationHint.active).toMatch(/Production URL[\s\S]*executions list[\s\S]*Test URL/);
	});

	it('has lifecycle methods that only succeed, since the URL is pasted by hand', async () => {
		const methods = trigger.webhookMethods.default;
		await expect(Promise.all([methods.checkExists.call({} as never), methods.create.call({} as never), methods.delete.call({} as never)])).resolves.toEqual([true, true, true]);
	});
});

describe('accepted requests', () => {
	it('answers 200 itself and emits nothing until a selected event is reached', async () => {
		const node = liveNode();
		const [first, second, third, fourth] = responseSession('c_1');
		const outcomes = [];
		for (const body of [first, second, third, fourth]) outcomes.push(await sendToTrigger({ body }, node));
		expect(outcomes.map(({ recorded }) => recorded.status)).toEqual([200, 200, 200, 200]);
		expect(outcomes.map(({ result }) => result.noWebhookResponse)).toEqual([true, true, true, true]);
		expect(outcomes.map(({ items }) => items.map((item) => item.event))).toEqual([[], [], ['new_lead'], ['funnel_completed']]);
		expect(outcomes[2].recorded.json).toEqual({ received: 1, emitted: 1, ignored: 0, expired: 0 });
		expect(outcomes[0].result.workflowData).toBeUndefined();
	});

	it('emits the New Lead item in Perspective\'s webhook format', async () => {
		const { items } = await sendToTrigger({ body: newLeadBody() }, liveNode());
		expect(items).toEqual([
			{
				event: 'new_lead',
				id: '6385f2c1a7e0b1d2c3f4a5b6',
				funnelName: 'Solar check',
				meta: {
					createdAt: '2026-11-27T10:00:00.000Z',
					lastSeenAt: '2026-11-27T10:03:00.000Z',
					completedAt: null,
					convertedAt: '2026-11-27T10:03:00.000Z',
					globalId: 'g_8f2d1c',
					completed: false,
					converted: true,
				},
				profile: newLeadBody().profile,
			},
		]);
	});

	it('emits the simplified format when chosen', async () => {
		const { items } = await sendToTrigger({ body: newLeadBody() }, liveNode({ parameters: { options: { outputFormat: 'simplified' } } }));
		expect(items[0]).toMatchObject({ event: 'new_lead', converted: true, fields: { email: 'ada@example.com', address: { city: 'Berlin' } } });
	});

	it('starts one execution for a body sent three times', async () => {
		const node = liveNode();
		const counts = [];
		for (let round = 0; round < 3; round++) counts.push((await sendToTrigger({ body: newLeadBody() }, node)).items.length);
		expect(counts).toEqual([1, 0, 0]);
	});

	it('receives both Perspective webhooks on one URL that differs only by ?trigger=', async () => {
		const node = liveNode();
		const lead = await sendToTrigger({ body: newLeadBody(), query: { trigger: 'new_lead' } }, node);
		const completed = await sendToTrigger({ body: funnelCompletedBody(), query: { trigger: 'funnel_completed' } }, node);
		expect([...lead.items, ...completed.items].map((item) => item.event)).toEqual(['new_lead', 'funnel_completed']);
		expect(completed.items[0].profile).toMatchObject({ result: { value: 'Good fit', title: 'Result' } });
	});

	it('acknowledges requests of other funnels and ignores them entirely', async () => {
		const node = liveNode({ parameters: { options: { funnelNames: ' roof quiz , SOLAR CHECK ' } } });
		const other = await sendToTrigger({ body: newLeadBody({ funnelName: 'Heat pump' }) }, node);
		expect(other.recorded).toMatchObject({ status: 200, json: { received: 1, emitted: 0, ignored: 1 }, staticDataReads: 0 });
		expect(other.staticData).toEqual({});
		const mine = await sendToTrigger({ body: newLeadBody() }, node);
		expect(mine.items).toHaveLength(1);
	});

	it('keeps the state between requests in static data, compactly', async () => {
		const node = liveNode();
		await sendToTrigger({ body: funnelCompletedBody() }, node);
		expect(node.staticData).toEqual({ format: 1, revision: expect.any(String), contacts: `[[],"Y4XywafgsdLD9KW2${minutes(5).toString(36).padStart(9, '0')}3"]` });
	});

	it('keeps none of a webhook body\'s profile once the request is done, and its next body still gives the whole item', async () => {
		const node = liveNode();
		const lead = await sendToTrigger({ body: newLeadBody() }, node);
		expect(lead.items).toMatchObject([{ event: 'new_lead', profile: { email: { value: 'ada@example.com' } } }]);
		// the block: the Perspective ID 6385f2c1a7e0b1d2c3f4a5b6 in 16 characters, the last visit in base 36, converted (1)
		expect(node.staticData?.contacts).toBe(`[[],"Y4XywafgsdLD9KW2${minutes(3).toString(36).padStart(9, '0')}1"]`);
		const completed = await sendToTrigger({ body: funnelCompletedBody() }, node);
		// the item the editor's test URL gives for that body alone, which knows no earlier request
		const alone = await sendToTrigger({ body: funnelCompletedBody(), mode: 'manual' }, liveNode());
		expect(completed.items).toEqual(alone.items.filter((item) => item.event === 'funnel_completed'));
		expect(completed.items).toHaveLength(1);
		expect(node.staticData?.contacts).toBe(`[[],"Y4XywafgsdLD9KW2${minutes(5).toString(36).padStart(9, '0')}3"]`);
	});
});

describe('the editor\'s test URL', () => {
	it('answers as production does for events of one contact within the bounds each but not together: 413, nothing emitted', async () => {
		const answers = (from: number) => Array.from({ length: 200 }, (_, index) => ({ id: `q${from + index}`, value: 'x' }));
		const event = (from: number) => ({ type: 'response', contactId: 'c_big', funnelName: 'F', answers: from === 0 ? answers(0) : [...answers(from), { id: 'email', value: 'big@example.com' }] });
		const body = [event(0), event(200)];
		const production = await sendToTrigger({ body }, liveNode());
		const test = await sendToTrigger({ body, mode: 'manual' }, liveNode());
		expect(production.recorded).toMatchObject({ status: 413, json: { error: 'too_large', index: 1 } });
		expect({ status: test.recorded.status, json: test.recorded.json, items: test.items }).toEqual({ status: 413, json: production.recorded.json, items: [] });
	});

	it('gives only New Lead when only New Lead is selected, for a contact that also completed', async () => {
		const test = await sendToTrigger({ body: funnelCompletedBody(), mode: 'manual' }, liveNode({ parameters: { events: ['newLead'] } }));
		expect(test.items.map((item) => item.event)).toEqual(['new_lead']);
	});

	it("shows a webhook body's contact as created at its visit when meta.createdAt is later, as production does", async () => {
		const body = newLeadBody({ at: minutes(3) });
		const createdLater = { ...body, meta: { ...body.meta, createdAt: new Date(minutes(10)).toISOString() } };
		const production = await sendToTrigger({ body: createdLater }, liveNode());
		const test = await sendToTrigger({ body: createdLater, mode: 'manual' }, liveNode());
		for (const { items } of [production, test]) {
			expect(items.map((item) => (item.meta as IDataObject).createdAt)).toEqual([new Date(minutes(3)).toISOString()]);
		}
	});

	it('neither reads nor changes the production state, and emits what the contact ends with', async () => {
		const node = liveNode();
		await sendToTrigger({ body: newLeadBody() }, node);
		const before = JSON.stringify(node.staticData);
		const test = await sendToTrigger({ body: newLeadBody(), mode: 'manual' }, node);
		expect(test.items.map((item) => item.event)).toEqual(['new_lead']);
		expect(test.recorded.staticDataReads).toBe(0);
		expect(JSON.stringify(node.staticData)).toBe(before);
	});
});

describe('refused requests change nothing and start nothing', () => {
	const token = 'tok_0123456789abcdef';
	const cases: Array<[string, FakeRequest, FakeNode, number, IDataObject]> = [
		['a body that is not an object', { body: 'hello' }, {}, 400, { error: 'invalid_event' }],
		['an unknown type', { body: { type: 'click', contactId: 'c', funnelName: 'F' } }, {}, 400, { index: 0, field: 'type' }],
		['a missing contact ID', { body: [newLeadBody(), { funnelName: 'F' }] }, {}, 400, { index: 1, field: 'id' }],
		[
			'a contact ID that is not valid Unicode (a lone surrogate)',
			{ body: [newLeadBody(), { type: 'response', contactId: '\ud800', funnelName: 'F' }] },
			{},
			400,
			{ error: 'invalid_event', index: 1, field: 'contactId', message: 'event 1, field "contactId": the contact ID is not valid Unicode text' },
		],
		[
			"a webhook body's ID that is not valid Unicode",
			{ body: { ...newLeadBody(), id: 'c_\udc00' } },
			{},
			400,
			{ error: 'invalid_event', index: 0, field: 'id', message: 'event 0, field "id": the contact ID is not valid Unicode text' },
		],
		['too many events', { body: Array.from({ length: 501 }, () => newLeadBody()) }, {}, 413, { error: 'too_many_events' }],
		['a body over 2,000,000 bytes', { body: newLeadBody(), rawBody: Buffer.alloc(2_000_001) }, {}, 413, { error: 'too_large', message: 'the body is larger than 2000000 bytes' }],
		['a bad trigger parameter', { body: newLeadBody(), query: { trigger: 'lead' } }, {}, 400, { field: 'trigger' }],
		['a missing token', { body: newLeadBody() }, { parameters: { authentication: 'secretToken' }, secretToken: token }, 401, { error: 'unauthorized' }],
		['a wrong token', { body: newLeadBody(), query: { token: 'tok_0123456789abcdeX' } }, { parameters: { authentication: 'secretToken' }, secretToken: token }, 401, { error: 'unauthorized' }],
		['a token given twice', { body: newLeadBody(), query: { token: [token, token] } }, { parameters: { authentication: 'secretToken' }, secretToken: token }, 401, { error: 'unauthorized' }],
	];

	it.each(cases)('%s', async (_name, request, nodeExtra, status, body) => {
		const node = liveNode(nodeExtra);
		await sendToTrigger({ body: responseSession('c_0')[0], query: { token } }, node);
		const before = JSON.stringify(node.staticData);
		const { recorded, result, items } = await sendToTrigger(request, node);
		expect(recorded.status).toBe(status);
		expect(recorded.json).toMatchObject(body);
		expect(typeof recorded.json?.message).toBe('string');
		expect(JSON.stringify(recorded.json)).not.toMatch(/ada@example\.com|at .*\.ts:\d+/);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(items).toEqual([]);
		expect(JSON.stringify(node.staticData)).toBe(before);
	});

	it('does not remember a refused request: the same contact still emits afterwards', async () => {
		const node = liveNode();
		const bad = newLeadBody() as Record<string, unknown>;
		await sendToTrigger({ body: [bad, { type: 'response', contactId: 'x', funnelName: 'F', answers: [{ id: 'a..b' }] }] }, node);
		expect((await sendToTrigger({ body: newLeadBody() }, node)).items).toHaveLength(1);
	});
});

describe('secret token', () => {
	const secretToken = 'tok_0123456789abcdef';
	const node = () => liveNode({ parameters: { authentication: 'secretToken' }, secretToken });

	it.each<[string, FakeRequest]>([
		['query parameter token', { body: newLeadBody(), query: { token: secretToken, trigger: 'new_lead' } }],
		['header x-perspective-token', { body: newLeadBody(), headers: { 'x-perspective-token': secretToken } }],
		['Authorization: Bearer', { body: newLeadBody(), headers: { authorization: `Bearer ${secretToken}` } }],
	])('accepts the right token as %s', async (_name, request) => {
		const { recorded, items } = await sendToTrigger(request, node());
		expect(recorded.status).toBe(200);
		expect(items).toHaveLength(1);
	});
});

describe('failures inside the node', () => {
	it('answer 500 without a stack trace, and log no personal data', async () => {
		const node = liveNode();
		const { context, recorded } = fakeWebhookContext({ body: newLeadBody() }, node);
		(context as unknown as { getBodyData: () => unknown }).getBodyData = () => {
			throw new Error('socket closed');
		};
		const result = await trigger.webhook.call(context);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(recorded.status).toBe(500);
		expect(recorded.json).toEqual({ error: 'internal_error', message: 'The trigger could not handle this request; nothing was emitted.' });
		expect(recorded.logs).toEqual(['error: Perspective Funnel Trigger could not handle a request: socket closed']);
	});

	it('log only counts when the stored state cannot be read', async () => {
		const node = liveNode({ staticData: { format: 1, revision: 'foreign', contacts: '[[],["c",1,0,null,null],"ada@example.com"]' } });
		const { recorded } = await sendToTrigger({ body: newLeadBody() }, node);
		expect(recorded.status).toBe(200);
		expect(recorded.logs).toEqual(['warn: Perspective Funnel Trigger: 1 stored contact record(s) could not be read and were dropped']);
	});
});

describe('the state store behind the node', () => {
	it('loses nothing and emits once when interleaved requests are handed stale copies of static data', async () => {
		const workflowId = freshWorkflowId();
		let row: IDataObject = {};
		const leads: string[] = [];
		const sessions = ['a', 'b', 'c'].map((id) => responseSession(id));
		for (let step = 0; step < 4; step++) {
			// every request of this step loads the same copy; their saves land in reverse order
			const loaded = JSON.stringify(row);
			const saves: IDataObject[] = [];
			for (const session of sessions) {
				const staticData = JSON.parse(loaded) as IDataObject;
				const { items } = await sendToTrigger({ body: session[step] }, { workflowId, staticData });
				leads.push(...items.map((item) => `${item.id}:${item.event}`));
				saves.push(staticData);
			}
			row = saves[0];
		}
		expect(leads.sort()).toEqual(['a', 'b', 'c'].flatMap((id) => [`${id}:funnel_completed`, `${id}:new_lead`]));
		const healed: IDataObject = JSON.parse(JSON.stringify(row));
		await sendToTrigger({ body: { type: 'response', contactId: 'z', funnelName: 'F' } }, { workflowId, staticData: healed });
		expect(String(healed.contacts).match(/"[abcz]"/g)?.sort()).toEqual(['"a"', '"b"', '"c"', '"z"']);
	});
});

describe('the end of a burst', () => {
	it('leaves the newest state in whichever save of n8n lands last, with no later request to heal it', async () => {
		const workflowId = freshWorkflowId();
		const loaded = JSON.stringify({});
		// three requests load the same copy; n8n saves their static data only after all three
		// have been handled, and the first request's save lands last
		const copies: IDataObject[] = [];
		for (const id of ['a', 'b', 'c']) {
			const staticData = JSON.parse(loaded) as IDataObject;
			await sendToTrigger({ body: newLeadBody({ id }) }, { workflowId, staticData });
			copies.push(staticData);
		}
		const row = JSON.parse(JSON.stringify(copies[0])) as IDataObject;
		expect(String(row.contacts).match(/"[abc]"/g)?.sort()).toEqual(['"a"', '"b"', '"c"']);
	});
});
