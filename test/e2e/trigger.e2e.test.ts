/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * The Perspective Funnel Trigger inside a real n8n (line N8N_LINE): activated workflows,
 * production URLs, executions and static data read back from n8n's database.
 */
import { tokenCredential, triggerWorkflow } from '../../scripts/lib/workflows';
import { LINE, Suite, perspectiveBody, visitorSession } from './suite';

const MAIN = { id: 'e2eMainWorkflow1', webhookId: 'e2e-main' };
const TOKEN = { id: 'e2eTokenWorkflow', webhookId: 'e2e-token' };
const BURST = { id: 'e2eBurstWorkflow', webhookId: 'e2e-burst' };
/** Version 1.1 of the trigger, with the list of funnel names that may hold commas. */
const LIST = { id: 'e2eListWorkflow1', webhookId: 'e2e-list' };
const SECRET = 'e2e_secret_0123456789abcdef';

let suite: Suite;

beforeAll(async () => {
	suite = await Suite.start('trigger', LINE === '1' ? 5801 : 5802, [
		triggerWorkflow({ ...MAIN, name: 'E2E main' }),
		triggerWorkflow({ ...TOKEN, name: 'E2E token', parameters: { authentication: 'secretToken' }, credentialId: 'e2eTokenCredent1' }),
		triggerWorkflow({ ...BURST, name: 'E2E burst' }),
		atVersion(1.1, triggerWorkflow({ ...LIST, name: 'E2E list', parameters: { options: { funnelNameList: ['Solar, check'] } } })),
	], [tokenCredential('e2eTokenCredent1', SECRET)]);
});

function atVersion<T extends { nodes: Array<{ typeVersion: number }> }>(typeVersion: number, workflow: T): T {
	workflow.nodes[0].typeVersion = typeVersion;
	return workflow;
}

/** The answer exactly as it came over the wire. */
async function raw(url: string, body: string | Buffer, contentType?: string) {
	const response = await fetch(url, { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body });
	return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

afterAll(async () => {
	await suite?.stop();
});

/** Waits until n8n has stored `count` finished manual (test) runs of the main workflow. */
async function finishedManualRuns(count: number): Promise<void> {
	const finished = async () =>
		(await suite.db.executions(MAIN.id)).filter((run) => run.mode === 'manual' && run.status !== 'running' && run.status !== 'new').length;
	for (let waited = 0; (await finished()) < count && waited < 30_000; waited += 200) {
		await new Promise((done) => setTimeout(done, 200));
	}
}

const ofContact = (items: Array<Record<string, unknown>>, id: string) => items.filter((item) => item.id === id);
const events = (items: Array<Record<string, unknown>>) => items.map((item) => item.event);

describe(`n8n ${LINE}.x: the trigger in a real n8n`, () => {
	it('turns a realistic session into exactly one new_lead and one funnel_completed', async () => {
		const before = (await suite.executions(MAIN.id)).length;
		for (const event of visitorSession('s_1')) {
			expect((await suite.post(suite.url(MAIN.webhookId), event)).status).toBe(200);
		}
		// a visitor who abandons before giving an email emits nothing
		for (const event of visitorSession('s_abandoned').slice(0, 2)) await suite.post(suite.url(MAIN.webhookId), event);
		const executions = (await suite.executions(MAIN.id, before + 2)).slice(before);
		expect(executions.map((execution) => [execution.status, execution.mode])).toEqual([['success', 'webhook'], ['success', 'webhook']]);
		const [lead, completed] = executions.flatMap((execution) => execution.items);
		expect(lead).toMatchObject({
			event: 'new_lead',
			id: 's_1',
			funnelName: 'Solar check',
			meta: { converted: true, completed: false, completedAt: null, globalId: 'g_s_1' },
			profile: {
				roofType: { value: 'Flat;Gable', title: 'Which roof?' },
				cookies: { value: 'Google Analytics', title: 'Cookies' },
				monthlyBill: { value: '120', title: 'Monthly bill' },
				address: { city: { value: 'Berlin', title: 'City' } },
				firstName: { value: 'Ada', title: 'First name' },
				email: { value: 's_1@example.com', title: 'Email' },
			},
		});
		expect(lead.profile).not.toHaveProperty('phone');
		expect(completed).toMatchObject({
			event: 'funnel_completed',
			id: 's_1',
			meta: { converted: true, completed: true },
			profile: { phone: { value: '+49 30 123456', title: 'Phone' }, result: { value: 'Good fit', title: 'Result' } },
		});
		const meta = completed.meta as Record<string, string>;
		expect(Date.parse(meta.convertedAt)).toBeLessThan(Date.parse(meta.completedAt));
		expect(meta.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
	});

	it('starts one execution for the same Perspective body sent three times', async () => {
		const before = (await suite.executions(MAIN.id)).length;
		const replies = [];
		for (let round = 0; round < 3; round++) replies.push(await suite.post(suite.url(MAIN.webhookId), perspectiveBody('p_replay', false)));
		expect(replies.map((reply) => reply.body.emitted)).toEqual([1, 0, 0]);
		const added = (await suite.executions(MAIN.id, before + 1)).slice(before);
		expect(added.flatMap((execution) => events(execution.items))).toEqual(['new_lead']);
	});

	it('receives both Perspective webhooks on two URLs that differ only by ?trigger=', async () => {
		const before = (await suite.executions(MAIN.id)).length;
		const lead = await suite.post(suite.url(MAIN.webhookId, { trigger: 'new_lead' }), perspectiveBody('p_both', false));
		const done = await suite.post(suite.url(MAIN.webhookId, { trigger: 'funnel_completed' }), perspectiveBody('p_both', true));
		expect([lead.status, done.status]).toEqual([200, 200]);
		const items = (await suite.executions(MAIN.id, before + 2)).slice(before).flatMap((execution) => execution.items);
		expect(events(items)).toEqual(['new_lead', 'funnel_completed']);
		expect(items[1]).toMatchObject({ profile: { result: { value: 'Good fit' }, address: { city: { value: 'Berlin' } } } });
	});

	it('refuses each class of bad input with its 4xx, starts nothing and keeps the state untouched', async () => {
		const url = suite.url(MAIN.webhookId);
		const contact = 'bad_1';
		const converting = { type: 'response', contactId: contact, funnelName: 'Solar check', answers: [{ id: 'email', value: 'x@example.com' }, { id: 'secretField', value: 'leaked' }] };
		const before = (await suite.executions(MAIN.id)).length;
		const cases: Array<[string, unknown, number, RegExp]> = [
			['not JSON', '{"type": "response", ', 422, /parse/i],
			['not an object', '"just text"', 400, /JSON object or an array/],
			['unknown type', { ...converting, type: 'click' }, 400, /unknown type/],
			['missing contactId', { ...converting, contactId: undefined }, 400, /contact ID/],
			['missing funnelName', [converting, { id: contact, meta: {} }], 400, /funnel name/],
			['too many events', Array.from({ length: 501 }, () => converting), 413, /more than 500/],
			['forbidden identifier', [converting, { ...converting, answers: [{ id: 'a.__proto__.b', value: 'x' }] }], 400, /forbidden segment/],
			['too deep identifier', [converting, { ...converting, answers: [{ id: 'a.b.c.d.e.f', value: 'x' }] }], 400, /deeper than 5/],
			['value too long', [converting, { ...converting, answers: [{ id: 'note', value: 'x'.repeat(10_001) }] }], 400, /longer than 10000/],
			['bad timestamp', [converting, { ...converting, timestamp: 'last tuesday' }], 400, /ISO 8601/],
		];
		for (const [name, body, status, message] of cases) {
			const reply = await suite.post(url, body);
			expect({ name, status: reply.status }).toEqual({ name, status });
			expect({ name, message: String(reply.body.message) }).toEqual({ name, message: expect.stringMatching(message) });
			expect(JSON.stringify(reply.body)).not.toContain('x@example.com');
			expect(reply.body).not.toHaveProperty('stacktrace');
		}
		expect((await suite.executions(MAIN.id)).length).toBe(before);
		// The contact was never converted by the refused requests, and none of their fields stuck.
		const accepted = await suite.post(url, { type: 'response', contactId: contact, funnelName: 'Solar check', answers: [{ id: 'phone', value: '+1 555 0100' }] });
		expect(accepted.body).toMatchObject({ emitted: 1 });
		const [lead] = (await suite.executions(MAIN.id, before + 1)).slice(before).flatMap((execution) => execution.items);
		expect(lead).toMatchObject({ event: 'new_lead', id: contact });
		expect(Object.keys(lead.profile as object)).toEqual(['phone']);
	});

	it('answers 401 without the secret token or with a wrong one, and 200 with it', async () => {
		const body = perspectiveBody('t_1', false);
		const missing = await suite.post(suite.url(TOKEN.webhookId), body);
		const wrong = await suite.post(suite.url(TOKEN.webhookId, { token: `${SECRET}x` }), body);
		const wrongHeader = await suite.post(suite.url(TOKEN.webhookId), body, { authorization: 'Bearer nope' });
		expect([missing.status, wrong.status, wrongHeader.status]).toEqual([401, 401, 401]);
		expect(missing.body).toMatchObject({ error: 'unauthorized' });
		expect((await suite.executions(TOKEN.id)).length).toBe(0);
		const right = await suite.post(suite.url(TOKEN.webhookId, { token: SECRET, trigger: 'new_lead' }), body);
		const header = await suite.post(suite.url(TOKEN.webhookId), perspectiveBody('t_2', false), { 'x-perspective-token': SECRET });
		expect([right.status, header.status]).toEqual([200, 200]);
		expect(events(await suite.emitted(TOKEN.id, 2))).toEqual(['new_lead', 'new_lead']);
	});

	it('handles concurrent requests of many contacts without losing a field or emitting twice', async () => {
		const url = suite.url(BURST.webhookId);
		const ids = Array.from({ length: 24 }, (_, index) => `burst_${index}`);
		const sessions = ids.map((id) => visitorSession(id));
		const sendAll = async (bodies: unknown[]) => {
			const replies = await Promise.all(bodies.map((body) => suite.post(url, body)));
			expect(replies.filter((reply) => reply.status !== 200)).toEqual([]);
		};
		// first every contact's answers before the email, all at once; then the rest, all at once
		await sendAll(sessions.flatMap((session) => session.slice(0, 2)));
		await sendAll(sessions.flatMap((session) => session.slice(2)));
		// then Perspective's own bodies for every contact, twice, all at once
		await sendAll([...ids, ...ids].flatMap((id) => [perspectiveBody(id, false), perspectiveBody(id, true)]));
		const items = await suite.emitted(BURST.id, ids.length * 2);
		for (const id of ids) {
			const mine = ofContact(items, id);
			expect({ id, events: events(mine).sort() }).toEqual({ id, events: ['funnel_completed', 'new_lead'] });
			for (const item of mine) {
				expect({ id, event: item.event, profile: item.profile }).toEqual({
					id,
					event: item.event,
					// the answers of the first wave were saved by requests racing each other: all must be there
					profile: expect.objectContaining({ roofType: expect.anything(), cookies: expect.anything(), monthlyBill: expect.anything(), address: { city: expect.anything() } }),
				});
			}
		}
		expect(items).toHaveLength(ids.length * 2);
		expect((await suite.storedContactIdsIncluding(BURST.id, ids)).sort()).toEqual([...ids].sort());
	});

	it('keeps the state across a restart: the item after it carries the whole profile', async () => {
		const url = suite.url(MAIN.webhookId);
		const session = visitorSession('restart_1');
		for (const event of session.slice(0, 2)) expect((await suite.post(url, event)).status).toBe(200);
		const before = (await suite.executions(MAIN.id)).length;
		// n8n 2.x answers before its save of static data lands: let it land before stopping
		expect(await suite.storedContactIdsIncluding(MAIN.id, ['restart_1'])).toContain('restart_1');
		await suite.restart();
		for (const event of session.slice(2)) expect((await suite.post(url, event)).status).toBe(200);
		const items = (await suite.executions(MAIN.id, before + 2)).slice(before).flatMap((execution) => execution.items);
		expect(events(items)).toEqual(['new_lead', 'funnel_completed']);
		expect(items[0].profile).toMatchObject({
			roofType: { value: 'Flat;Gable' },
			cookies: { value: 'Google Analytics' },
			monthlyBill: { value: '120' },
			address: { city: { value: 'Berlin' } },
			email: { value: 'restart_1@example.com' },
		});
		// contacts known before the restart are still deduplicated after it
		expect((await suite.post(url, perspectiveBody('p_replay', false))).body).toMatchObject({ emitted: 0 });
	});

	it('on the editor\'s test URL, neither reads nor changes the production state', async () => {
		const url = suite.url(MAIN.webhookId);
		expect((await suite.post(url, perspectiveBody('m_1', false))).body).toMatchObject({ emitted: 1 });
		const stored = (await suite.storedContactIdsIncluding(MAIN.id, ['m_1'])).sort();
		const manualBefore = (await suite.executions(MAIN.id)).filter((execution) => execution.mode === 'manual').length;

		// a test request that reaches nothing starts nothing, and n8n keeps listening;
		// then a contact production has already emitted still gives a sample
		await suite.listenForTestRequest(MAIN.id);
		const nothing = await suite.post(suite.testUrl(MAIN.webhookId), { type: 'response', contactId: 'm_0', funnelName: 'Solar check', answers: [{ id: 'roofType', value: 'Flat' }] });
		expect(nothing).toEqual({ status: 200, body: { received: 1, emitted: 0, ignored: 0, expired: 0 } });
		expect((await suite.post(suite.testUrl(MAIN.webhookId), perspectiveBody('m_1', false))).status).toBe(200);
		// as in the editor, listen again only once that test run has finished: n8n 2.x removes the
		// workflow's test webhooks after it has started the run, which can be after its answer, so
		// a registration made in between would be removed too (webhooks/test-webhooks.js)
		await finishedManualRuns(manualBefore + 1);
		// a contact production has never seen is not remembered by the test run
		await suite.listenForTestRequest(MAIN.id);
		expect((await suite.post(suite.testUrl(MAIN.webhookId), perspectiveBody('m_2', true))).status).toBe(200);

		const manual = (await suite.executions(MAIN.id, 0)).filter((execution) => execution.mode === 'manual').slice(manualBefore);
		expect(manual.map((execution) => events(execution.items))).toEqual([['new_lead'], ['new_lead', 'funnel_completed']]);
		expect((await suite.storedContactIds(MAIN.id)).sort()).toEqual(stored);
		expect((await suite.post(url, perspectiveBody('m_2', true))).body).toMatchObject({ emitted: 2 });
	});

	it('answers a body that is not sent as JSON, or too large for n8n, as documented (README, Troubleshooting)', async () => {
		const url = suite.url(MAIN.webhookId);
		const before = (await suite.executions(MAIN.id)).length;
		const json = JSON.stringify({ type: 'response', contactId: 'ct_1', funnelName: 'Solar check', answers: [{ id: 'email', value: 'ct@example.com' }] });
		const answers = {
			form: await raw(url, json, 'application/x-www-form-urlencoded'),
			text: await raw(url, json, 'text/plain;charset=UTF-8'),
			broken: await raw(url, '{"type": "response", "contactId": "ct_2", ', 'application/json'),
			echo: await raw(url, '{"type": "response", "email": ada@example.com}', 'application/json'),
			huge: await raw(url, `{"pad": "${'x'.repeat(17 * 1024 * 1024)}"}`, 'application/json'),
			tooManyAnswers: await raw(url, JSON.stringify({ ...JSON.parse(json), answers: Array.from({ length: 301 }, (_, index) => ({ id: `q${index}`, value: 'x' })) }), 'application/json'),
		};
		const refusal = JSON.stringify({ error: 'unsupported_content_type', message: 'send JSON with content-type application/json', field: 'content-type' });
		expect(answers.form).toEqual({ status: 415, contentType: 'application/json; charset=utf-8', text: refusal });
		expect(answers.text).toEqual({ status: 415, contentType: 'application/json; charset=utf-8', text: refusal });
		// n8n's own answers, before the node runs: its 422 hint is JSON.parse's message, which
		// quotes part of the body (Node 20 and 24 alike); Node 24 adds line and column
		const position = LINE === '1' ? 'at position 42' : 'at position 42 (line 1 column 43)';
		expect(answers.broken).toEqual({
			status: 422,
			contentType: 'application/json; charset=utf-8',
			text: `{"code":422,"message":"Failed to parse request body","hint":"Expected double-quoted property name in JSON ${position}"}`,
		});
		expect(answers.echo).toEqual({
			status: 422,
			contentType: 'application/json; charset=utf-8',
			text: String.raw`{"code":422,"message":"Failed to parse request body","hint":"Unexpected token 'a', ...\" \"email\": ada@exampl\"... is not valid JSON"}`,
		});
		// a body over N8N_PAYLOAD_SIZE_MAX (16 MB by default): n8n's generic 500
		expect(answers.huge).toEqual({
			status: 500,
			contentType: 'application/json; charset=utf-8',
			text: '{"code":0,"message":"There was a problem executing the workflow"}',
		});
		expect(JSON.parse(answers.tooManyAnswers.text)).toMatchObject({ error: 'too_large', field: 'answers' });
		expect(answers.tooManyAnswers.status).toBe(413);
		expect((await suite.executions(MAIN.id)).length).toBe(before);
	});

	it('version 1.1 accepts a funnel name that holds a comma, and ignores other funnels', async () => {
		const url = suite.url(LIST.webhookId);
		const mine = await suite.post(url, { ...perspectiveBody('l_1', false), funnelName: 'Solar, check' });
		const other = await suite.post(url, perspectiveBody('l_2', false));
		expect([mine.body, other.body]).toEqual([
			{ received: 1, emitted: 1, ignored: 0, expired: 0 },
			{ received: 1, emitted: 0, ignored: 1, expired: 0 },
		]);
		expect(events(await suite.emitted(LIST.id, 1))).toEqual(['new_lead']);
	});
});
