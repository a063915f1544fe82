/**
 * Issue 9: what an attacker who knows the public webhook URL can send. One named test per
 * numbered case of the issue, each through the node's webhook() with the fake n8n context.
 */
import type { IDataObject } from 'n8n-workflow';

import { decodeContacts } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { PerspectiveFunnelTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelTrigger.node';
import type { FakeNode, FakeRequest } from '../helpers/fakeWebhookContext';
import { liveNode, sendToTrigger } from '../helpers/sendToTrigger';
import { newLeadBody } from '../fixtures/perspective';

/** The documented limits (docs/trigger-reference.md#limits), written out so that this file also runs against older code. */
const LIMITS = { answersPerEvent: 300, contactCharacters: 100_000, stateCharacters: 8_000_000 };

const trigger = new PerspectiveFunnelTrigger();
const recent = (minutesAgo = 5) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const response = (contactId: string, extra: Record<string, unknown> = {}) => ({
	type: 'response',
	contactId,
	funnelName: 'Solar check',
	timestamp: recent(),
	...extra,
});
const lead = (contactId: string, answers: unknown[] = [], extra: Record<string, unknown> = {}) =>
	response(contactId, { answers: [...answers, { id: 'email', value: `${contactId}@example.com` }], ...extra });

/** Sends a request that must be refused, and checks that it changed nothing and started nothing. */
async function refused(node: FakeNode, request: FakeRequest, status: number) {
	const before = JSON.stringify(node.staticData);
	const outcome = await sendToTrigger(request, node);
	expect({ status: outcome.recorded.status, items: outcome.items }).toEqual({ status, items: [] });
	expect(JSON.stringify(node.staticData)).toBe(before);
	expect(JSON.stringify(outcome.recorded.json)).not.toMatch(/@example\.com/);
	return outcome.recorded.json as IDataObject;
}

/** True when no array and no key that shadows Object.prototype is anywhere inside. */
function isPlainTree(value: unknown): boolean {
	if (Array.isArray(value)) return false;
	if (typeof value !== 'object' || value === null) return true;
	return Object.keys(value).every(
		(key) => !(key in Object.prototype) && isPlainTree((value as Record<string, unknown>)[key]),
	);
}

describe('issue 9, case 1: index-like path segments', () => {
	it.each(['webhook', 'simplified'])('make object keys, never a giant array (%s format)', async (outputFormat) => {
		const node = liveNode({ parameters: { options: { outputFormat } } });
		const body = lead('c_index', [{ id: 'x.100000000', value: 'a' }, { id: 'y.4294967294', value: 'b' }]);
		const { recorded, items } = await sendToTrigger({ body }, node);
		expect(recorded.status).toBe(200);
		const tree = outputFormat === 'webhook' ? items[0].profile : items[0].fields;
		expect(isPlainTree(tree)).toBe(true);
		expect(Object.keys((tree as IDataObject).x as IDataObject)).toEqual(['100000000']);
		expect(JSON.stringify(items[0]).length).toBeLessThan(4 * JSON.stringify(body).length);
	});
});

describe('issue 9, case 2: stored state is bounded, and a failed request changes nothing', () => {
	it('refuses more answers in one event than the limit with 413, naming it', async () => {
		const node = liveNode();
		const answers = Array.from({ length: LIMITS.answersPerEvent + 1 }, (_, index) => ({ id: `q${index}`, value: 'x' }));
		const body = await refused(node, { body: lead('c_many', answers) }, 413);
		expect(body).toMatchObject({ error: 'too_large', index: 0, field: 'answers', message: expect.stringContaining(`more than ${LIMITS.answersPerEvent} answers`) });
	});

	it('refuses a webhook profile with more leaves than the limit with 413', async () => {
		const node = liveNode();
		const profile = Object.fromEntries(Array.from({ length: LIMITS.answersPerEvent + 1 }, (_, index) => [`q${index}`, { value: 'x' }]));
		const body = await refused(node, { body: { ...newLeadBody({ at: Date.now() - 60_000 }), profile } }, 413);
		expect(body.message).toContain(`more than ${LIMITS.answersPerEvent} answers`);
	});

	it("refuses a request that would take one contact's stored answers past the limit, across requests", async () => {
		const node = liveNode();
		const big = (from: number) => Array.from({ length: 6 }, (_, index) => ({ id: `q${from + index}`, value: 'x'.repeat(9_000) }));
		expect((await sendToTrigger({ body: response('c_big', { answers: big(0) }) }, node)).recorded.status).toBe(200);
		const body = await refused(node, { body: response('c_big', { answers: big(6) }) }, 413);
		expect(body.message).toContain(`exceed ${LIMITS.contactCharacters} characters`);
		// the contact still converts with a small answer
		expect((await sendToTrigger({ body: lead('c_big') }, node)).items).toHaveLength(1);
	});

	it('keeps the stored state within its budget by forgetting the least recently seen; a real lead still emits', async () => {
		const node = liveNode();
		const perContact = Array.from({ length: 9 }, (_, index) => ({ id: `q${index}`, value: 'x'.repeat(9_000) }));
		const contacts = Math.ceil(LIMITS.stateCharacters / 81_000) + 10;
		for (let index = 0; index < contacts; index++) {
			const { recorded } = await sendToTrigger({ body: response(`big_${index}`, { timestamp: recent(contacts - index), answers: perContact }) }, node);
			expect(recorded.status).toBe(200);
		}
		const real = await sendToTrigger({ body: lead('real_lead') }, node);
		expect(real.items.map((item) => item.id)).toEqual(['real_lead']);
		const stored = String(node.staticData?.contacts);
		expect(stored.length).toBeLessThanOrEqual(LIMITS.stateCharacters);
		const held = decodeContacts(stored).contacts.map((contact) => contact.id);
		expect(held).toContain('real_lead');
		expect(held).toContain(`big_${contacts - 1}`);
		expect(held).not.toContain('big_0');
	});

	it('answers 500 without personal data when a request fails, and its retry emits', async () => {
		const node = liveNode();
		let failures = 1;
		const staticData: IDataObject = {};
		Object.defineProperty(staticData, 'contacts', {
			enumerable: true,
			configurable: true,
			get: () => node.staticData?.held,
			set: (value: unknown) => {
				if (failures-- > 0) throw new Error('the database went away');
				(node.staticData as IDataObject).held = value as string;
			},
		});
		const failing = { ...node, staticData };
		const first = await sendToTrigger({ body: lead('c_retry') }, failing);
		expect(first.recorded.status).toBe(500);
		expect(first.items).toEqual([]);
		expect(JSON.stringify(first.recorded.json)).not.toContain('c_retry');
		const retry = await sendToTrigger({ body: lead('c_retry') }, failing);
		expect({ status: retry.recorded.status, emitted: retry.items.length }).toEqual({ status: 200, emitted: 1 });
	});
});

describe('issue 9, case 3: future timestamps', () => {
	it('are refused, so far-future contacts cannot evict real ones (Max Contacts 3)', async () => {
		const node = liveNode({ parameters: { options: { maxContacts: 3 } } });
		const future = ['f1', 'f2', 'f3'].map((id) => response(id, { timestamp: '2200-01-01T00:00:00Z' }));
		const body = await refused(node, { body: future }, 400);
		expect(body).toMatchObject({ field: 'timestamp', message: expect.stringContaining('more than 1 day after the time of receipt') });
		const epoch = await refused(node, { body: response('f4', { timestamp: 8.64e15 }) }, 400);
		expect(epoch.field).toBe('timestamp');
		const counts = [];
		for (let round = 0; round < 3; round++) counts.push((await sendToTrigger({ body: newLeadBody({ at: Date.now() - 60_000 }) }, node)).items.length);
		expect(counts).toEqual([1, 0, 0]);
	});

	it('accept a sender clock up to a day ahead', async () => {
		const node = liveNode();
		const ahead = new Date(Date.now() + 23 * 3_600_000).toISOString();
		expect((await sendToTrigger({ body: lead('c_skew', [], { timestamp: ahead }) }, node)).items).toHaveLength(1);
	});
});

describe('issue 9, case 4: Max Contacts and Retention at run time', () => {
	it.each([0.5, 0, -3, 'many', Number.NaN])('Max Contacts %p falls back to the default: deduplication stays on', async (maxContacts) => {
		const node = liveNode({ parameters: { options: { maxContacts, retentionDays: 0.5 } } });
		const counts = [];
		for (let round = 0; round < 3; round++) counts.push((await sendToTrigger({ body: lead('c_dedup') }, node)).items.length);
		expect(counts).toEqual([1, 0, 0]);
	});

	it('reads Max Contacts given as digits (from an expression)', async () => {
		const node = liveNode({ parameters: { options: { maxContacts: '2' } } });
		for (const [index, id] of ['a', 'b', 'c'].entries()) await sendToTrigger({ body: lead(id, [], { timestamp: recent(10 - index) }) }, node);
		// a was the least recently seen of three with room for two: forgotten, so it emits again
		expect((await sendToTrigger({ body: lead('a') }, node)).items).toHaveLength(1);
	});

	it('asks the editor for whole numbers from 1 to their bound (issue 20: 1,000,000 contacts, 3,650 days)', () => {
		const options = (trigger.description.properties.find((property) => property.name === 'options')?.options ?? []) as Array<{ name: string; typeOptions?: object }>;
		for (const [name, maxValue] of [['maxContacts', 1_000_000], ['retentionDays', 3_650]] as const) {
			expect(options.find((option) => option.name === name)?.typeOptions).toEqual({ minValue: 1, maxValue, numberPrecision: 0 });
		}
	});
});

describe('issue 9, case 5: ambiguous and impossible timestamps', () => {
	it.each<[string, unknown, RegExp]>([
		['no time zone', '2026-11-27T10:00:00', /no time zone/],
		['30 February', '2020-02-30T10:00:00Z', /not a date in the calendar/],
		['31 April, date only', '2024-04-31', /not a date in the calendar/],
		['hour 24', '2026-11-27T24:00:00Z', /not a time of day/],
		['before 2010', '1969-12-31T23:59:59Z', /before 2010/],
		['year zero', '0000-01-01', /before 2010/],
		['epoch 0', 0, /before 2010/],
		['an offset of 25 hours', '2026-11-27T10:00:00+25:00', /offset/],
	])('refuses %s', async (_name, timestamp, message) => {
		const node = liveNode();
		const body = await refused(node, { body: lead('c_time', [], { timestamp }) }, 400);
		expect(body).toMatchObject({ field: 'timestamp', message: expect.stringMatching(message) });
	});

	it('reads a date without a time as midnight UTC, whatever the server zone', async () => {
		const node = liveNode();
		const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
		const { items } = await sendToTrigger({ body: lead('c_day', [], { timestamp: day }) }, node);
		expect((items[0].meta as IDataObject).convertedAt).toBe(`${day}T00:00:00.000Z`);
	});
});

describe('issue 9, case 6: values that are not finite', () => {
	it('refuses 1e400 (Infinity once parsed) as an answer value', async () => {
		const node = liveNode();
		const body = JSON.parse(`{"type":"response","contactId":"c_inf","funnelName":"F","answers":[{"id":"email","value":1e400}]}`);
		const answer = await refused(node, { body }, 400);
		expect(answer).toMatchObject({ field: 'answers[0].value' });
	});
});

describe('issue 9, case 7: a field and its child', () => {
	it.each<[string, unknown[]]>([
		['parent first, one request', [response('c_pc', { answers: [{ id: 'address', value: 'Main St 1' }, { id: 'address.city', value: 'Berlin' }] })]],
		['child first, one request', [response('c_pc', { answers: [{ id: 'address.city', value: 'Berlin' }, { id: 'address', value: 'Main St 1' }] })]],
		['flat keys in a webhook profile', [{ id: 'c_pc', funnelName: 'F', profile: { address: { value: 'Main St 1' }, 'address.city': { value: 'Berlin' } } }]],
	])('are refused as a pair: %s', async (_name, body) => {
		const node = liveNode();
		const answer = await refused(node, { body }, 400);
		expect(answer).toMatchObject({ field: 'address.city', message: expect.stringContaining('lies inside field "address"') });
	});

	it("are refused as a pair on the editor's test URL too", async () => {
		const node = liveNode();
		const body = response('c_pc3', { answers: [{ id: 'address', value: 'Main St 1' }, { id: 'address.city', value: 'Berlin' }, { id: 'email', value: 'x@example.com' }] });
		const answer = await refused(node, { body, mode: 'manual' }, 400);
		expect(answer).toMatchObject({ index: 0, field: 'address.city' });
	});

	it('are refused as a pair across requests, the first kept whole', async () => {
		const node = liveNode();
		expect((await sendToTrigger({ body: response('c_pc2', { answers: [{ id: 'address.city', value: 'Berlin' }] }) }, node)).recorded.status).toBe(200);
		await refused(node, { body: response('c_pc2', { answers: [{ id: 'address', value: 'Main St 1' }] }) }, 400);
		const { items } = await sendToTrigger({ body: lead('c_pc2') }, node);
		expect(items[0].profile).toMatchObject({ address: { city: { value: 'Berlin' } } });
	});
});

describe('issue 9, case 8: identifiers that name Object.prototype members', () => {
	it.each(['toString', 'valueOf', 'a.hasOwnProperty', '__defineGetter__.x', 'isPrototypeOf'])('refuses %s', async (id) => {
		const node = liveNode();
		const answer = await refused(node, { body: lead('c_proto', [{ id, value: 'x' }]) }, 400);
		expect(answer).toMatchObject({ field: 'answers[0].id', message: expect.stringContaining('a name JavaScript objects reserve') });
	});
});

describe('issue 9, case 9: funnel names holding commas', () => {
	it('are accepted whole by the list of version 1.1', async () => {
		const node = liveNode({ parameters: { options: { funnelNameList: ['Solar, check', ' Roof quiz '] } } });
		const mine = await sendToTrigger({ body: lead('c_comma', [], { funnelName: 'solar, CHECK' }) }, node);
		const other = await sendToTrigger({ body: lead('c_other', [], { funnelName: 'Solar' }) }, node);
		expect([mine.recorded.json, other.recorded.json]).toEqual([
			{ received: 1, emitted: 1, ignored: 0, expired: 0 },
			{ received: 1, emitted: 0, ignored: 1, expired: 0 },
		]);
	});

	it('are offered as a list in version 1.1 while version 1 keeps its comma list', () => {
		expect(trigger.description).toMatchObject({ version: [1, 1.1], defaultVersion: 1.1 });
		const options = (trigger.description.properties.find((property) => property.name === 'options')?.options ?? []) as Array<{ name: string; displayOptions?: object; typeOptions?: object }>;
		expect(options.find((option) => option.name === 'funnelNames')?.displayOptions).toEqual({ show: { '@version': [1] } });
		expect(options.find((option) => option.name === 'funnelNameList')).toMatchObject({
			displayOptions: { show: { '@version': [1.1] } },
			typeOptions: { multipleValues: true },
		});
	});
});

describe('issue 9, case 10: a body that is not sent as JSON', () => {
	it.each([
		['form-encoded (curl -d)', 'application/x-www-form-urlencoded', { '{"type":"response","contactId":"c"}': '' }],
		['text/plain', 'text/plain;charset=UTF-8', '{"type":"response","contactId":"c"}'],
	])('%s is answered 415 "send JSON with content-type application/json"', async (_name, contentType, body) => {
		const node = liveNode();
		const answer = await refused(node, { body, headers: { 'content-type': contentType } }, 415);
		expect(answer).toEqual({ error: 'unsupported_content_type', message: 'send JSON with content-type application/json', field: 'content-type' });
	});

	it.each(['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json'])('accepts %s', async (contentType) => {
		const { recorded } = await sendToTrigger({ body: lead('c_json'), headers: { 'content-type': contentType } }, liveNode());
		expect(recorded.status).toBe(200);
	});
});
