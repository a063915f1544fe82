/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * The Perspective Funnel Trigger inside a real n8n (line N8N_LINE): activated workflows,
 * production URLs, executions and static data read back from n8n's database.
 */
import { tokenCredential, triggerWorkflow } from '../../scripts/lib/workflows';
import { LINE, Suite, perspectiveBody } from './suite';
import { badInput, bothUrls, burst, events, replay, restart, session, type TriggerUnderTest } from './triggerScenarios';

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

/** The static-data trigger: its contacts are in the workflow's static data. */
const trigger: TriggerUnderTest = {
	suite: () => suite,
	main: MAIN,
	burst: BURST,
	storedContactIdsIncluding: (workflowId, ids) => suite.storedContactIdsIncluding(workflowId, ids),
	storedContactIds: (workflowId) => suite.storedContactIds(workflowId),
};

describe(`n8n ${LINE}.x: the trigger in a real n8n`, () => {
	it(session.title, () => session.run(trigger));

	it(replay.title, () => replay.run(trigger));

	it(bothUrls.title, () => bothUrls.run(trigger));

	it(badInput.title, () => badInput.run(trigger));

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

	it(burst.title, () => burst.run(trigger));

	it(restart.title, () => restart.run(trigger));

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

	it('answers a body that is not sent as JSON, or too large for n8n, as documented (docs/trigger-reference.md, What n8n answers before the node runs)', async () => {
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
