/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * What the trigger answers and logs, word for word: the sender of a refused request reads the
 * answer to fix it, so it names the event and field at fault and holds no submitted value;
 * n8n's log gets counts and reasons, never personal data.
 */
import fc from 'fast-check';
import { runInNewContext } from 'node:vm';
import type { IDataObject } from 'n8n-workflow';

import { newLeadBody } from '../fixtures/perspective';
import type { FakeNode, FakeRequest } from '../helpers/fakeWebhookContext';
import { liveNode, sendToTrigger } from '../helpers/sendToTrigger';
import { PerspectiveFunnelTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelTrigger.node';

const recent = () => new Date(Date.now() - 60_000).toISOString();
const response = (contactId: string, extra: Record<string, unknown> = {}) => ({ type: 'response', contactId, funnelName: 'Solar check', timestamp: recent(), ...extra });
const lead = (contactId: string) => response(contactId, { answers: [{ id: 'email', value: `${contactId}@example.com` }] });

/** The status and body of the answer, and whether anything was emitted. */
async function answerTo(request: FakeRequest, node: FakeNode = liveNode()) {
	const { recorded, items } = await sendToTrigger(request, node);
	return { status: recorded.status, body: recorded.json, emitted: items.length };
}

describe('a refused event is named in the answer', () => {
	it('by its index and field', async () => {
		expect(await answerTo({ body: [newLeadBody(), { funnelName: 'Solar check' }] })).toEqual({
			status: 400,
			body: { error: 'invalid_event', message: 'event 1, field "id": required: the contact ID', index: 1, field: 'id' },
			emitted: 0,
		});
	});

	it('by its index alone when the event as a whole is wrong', async () => {
		expect(await answerTo({ body: [newLeadBody(), 'x'] })).toEqual({
			status: 400,
			body: { error: 'invalid_event', message: 'event 1: expected an event object', index: 1 },
			emitted: 0,
		});
	});

	it('by index 0 for the first event, as too_large when it is over a limit', async () => {
		const answers = Array.from({ length: 301 }, (_, index) => ({ id: `q${index}`, value: 'x' }));
		expect(await answerTo({ body: response('c_big', { answers }) })).toEqual({
			status: 413,
			body: { error: 'too_large', message: 'event 0, field "answers": more than 300 answers in one event', index: 0, field: 'answers' },
			emitted: 0,
		});
	});

	it('by its place in the request when the memory refuses it, counting the events of other funnels', async () => {
		const node = liveNode({ parameters: { options: { funnelNameList: ['Solar check'] } } });
		await sendToTrigger({ body: response('c_pair', { answers: [{ id: 'address.city', value: 'Berlin' }] }) }, node);
		const body = [response('c_other', { funnelName: 'Roof quiz' }), response('c_pair', { answers: [{ id: 'address', value: 'Main St 1' }] })];
		expect(await answerTo({ body }, node)).toEqual({
			status: 400,
			body: {
				error: 'invalid_event',
				message: 'event 1, field "address.city": field "address.city" lies inside field "address": a field with a value cannot also have sub-fields',
				index: 1,
				field: 'address.city',
			},
			emitted: 0,
		});
	});
});

describe('a refused body is answered without an index or field', () => {
	it.each<[string, unknown, number, IDataObject]>([
		['not an object', 'hello', 400, { error: 'invalid_event', message: 'expected a JSON object or an array of them' }],
		['an empty array', [], 400, { error: 'invalid_event', message: 'the array holds no event' }],
		['more than 500 events', Array.from({ length: 501 }, () => newLeadBody()), 413, { error: 'too_many_events', message: 'more than 500 events in one request' }],
	])('%s', async (_name, body, status, answer) => {
		expect(await answerTo({ body })).toEqual({ status, body: answer, emitted: 0 });
	});
});

describe('the secret token', () => {
	const secretToken = 'tok_0123456789abcdef';
	const guarded = (extra: FakeNode = {}) => liveNode({ parameters: { authentication: 'secretToken' }, secretToken, ...extra });
	const MISSING = {
		error: 'unauthorized',
		message: 'This trigger requires a secret token: add ?token=<secret> to the URL (or send header x-perspective-token, or Authorization: Bearer <secret>).',
	};
	const WRONG = { error: 'unauthorized', message: "The secret token does not match the one in this trigger's credential." };

	it('when missing, is asked for with the three ways to send it', async () => {
		expect(await answerTo({ body: lead('c_t') }, guarded())).toEqual({ status: 401, body: MISSING, emitted: 0 });
		expect(await answerTo({ body: lead('c_t'), headers: { authorization: `Basic ${secretToken}` } }, guarded())).toEqual({ status: 401, body: MISSING, emitted: 0 });
	});

	it('when wrong, is said not to match', async () => {
		expect(await answerTo({ body: lead('c_t'), query: { token: `${secretToken}X` } }, guarded())).toEqual({ status: 401, body: WRONG, emitted: 0 });
	});

	it('never matches when the credential holds none', async () => {
		const node = guarded({ credentials: { perspectiveFunnelWebhookApi: {} } });
		for (const token of [secretToken, 'undefined', 'null']) {
			expect(await answerTo({ body: lead('c_t'), query: { token } }, node)).toEqual({ status: 401, body: WRONG, emitted: 0 });
		}
	});
});

describe('the ?trigger= parameter', () => {
	it.each([undefined, 'new_lead', 'funnel_completed'])('is accepted as %p, and filters nothing: a lead emits under each', async (trigger) => {
		const query = trigger === undefined ? {} : { trigger };
		expect(await answerTo({ body: lead('c_q'), query })).toEqual({ status: 200, body: { received: 1, emitted: 1, ignored: 0, expired: 0 }, emitted: 1 });
	});

	it.each<[string, unknown]>([
		['another word', 'lead'],
		['empty', ''],
		['another case', 'NEW_LEAD'],
		['given twice', ['new_lead', 'new_lead']],
	])('is refused when %s', async (_name, trigger) => {
		expect(await answerTo({ body: lead('c_q'), query: { trigger } })).toEqual({
			status: 400,
			body: { error: 'invalid_query', message: 'query parameter "trigger" must be new_lead or funnel_completed', field: 'trigger' },
			emitted: 0,
		});
	});
});

describe('the content type', () => {
	const NOT_JSON = { error: 'unsupported_content_type', message: 'send JSON with content-type application/json', field: 'content-type' };
	const sentAs = async (type: string) => (await answerTo({ body: lead('c_type'), headers: { 'content-type': type } })).status;

	it.each(['', '   ', 'application/json', ' application/json ', 'Application/JSON', 'application/json ; charset=utf-8', 'application/ld+json', 'application/merge-patch+json', 'application/vnd.example.v2+json'])(
		'%p is read as JSON, as n8n parsed it',
		async (type) => {
			expect(await sentAs(type)).toBe(200);
		},
	);

	it('any structured suffix +json is read as JSON, whatever the subtype before it', async () => {
		const subtypeCharacter = fc.constantFrom(...'abcXYZ019_.+-');
		await fc.assert(
			fc.asyncProperty(fc.string({ unit: subtypeCharacter, minLength: 1, maxLength: 12 }), async (subtype) => (await sentAs(`application/${subtype}+json`)) === 200),
			{ seed: 13, numRuns: 60 },
		);
	});

	it.each(['text/plain', 'text/plain; profile=application/json', 'application/jsonp', 'application/json-seq', 'application/xml', 'multipart/form-data; boundary=x'])(
		'%p is refused with 415',
		async (type) => {
			expect(await answerTo({ body: lead('c_type'), headers: { 'content-type': type } })).toEqual({ status: 415, body: NOT_JSON, emitted: 0 });
		},
	);
});

describe('what goes to n8n\'s log', () => {
	it('nothing for a request that is handled as it should be', async () => {
		const node = liveNode();
		const { recorded } = await sendToTrigger({ body: lead('c_quiet') }, node);
		const again = await sendToTrigger({ body: lead('c_quiet') }, node);
		expect([recorded.logs, again.recorded.logs]).toEqual([[], []]);
	});
});

describe('the node subtitle', () => {
	/** Evaluates the subtitle expression as the editor does, for the given Events. */
	function subtitleFor(events: string[]): string {
		const expression = String(new PerspectiveFunnelTrigger().description.subtitle);
		const body = /^=\{\{(.*)\}\}$/s.exec(expression)?.[1] ?? 'undefined';
		return String(runInNewContext(body, { $parameter: { events } }));
	}

	it('names the selected events', () => {
		expect(subtitleFor(['newLead', 'funnelCompleted'])).toBe('New Lead, Funnel Completed');
		expect(subtitleFor(['funnelCompleted'])).toBe('Funnel Completed');
	});
});
