/**
 * Generated hostile input through the whole path: parse → apply → store → output, by way of
 * the node's webhook() with the fake n8n context. Fixed seeds, so a failure is reproducible;
 * fast-check shrinks it to the smallest body that fails.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { decodeContacts } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { viewOf } from '../../nodes/PerspectiveFunnel/funnel/contact';
import { LIMITS } from '../../nodes/PerspectiveFunnel/funnel/fields';
import type { FakeNode } from '../helpers/fakeWebhookContext';
import { sendToTrigger } from '../helpers/sendToTrigger';

const NOW = Date.now();
const DAY = 86_400_000;
let serial = 0;

// ---- generators ---------------------------------------------------------------------------

const segment = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom('email', 'phone', 'address', 'city', 'q1', 'x', 'result', 'cookies') },
	{ weight: 2, arbitrary: fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype), 'prototype') },
	{ weight: 2, arbitrary: fc.constantFrom('0', '1', '100000000', '4294967294', '-1', '1e3') },
	{ weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
);
const identifier = fc.oneof(
	{ weight: 5, arbitrary: fc.array(segment, { minLength: 1, maxLength: 7 }).map((parts) => parts.join('.')) },
	{ weight: 1, arbitrary: fc.constantFrom('x[0]', 'a..b', '', 'x'.repeat(201), 'a["b"].c') },
);
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean());
const value = fc.oneof(
	{ weight: 5, arbitrary: scalar },
	{ weight: 1, arbitrary: fc.constantFrom(null, Number.POSITIVE_INFINITY, Number.NaN, 'x'.repeat(LIMITS.valueLength + 1)) },
	{ weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
	{ weight: 1, arbitrary: fc.object({ maxDepth: 1 }) },
);
/** A time around now: mostly valid, sometimes far off or malformed. */
const time = (withAbsent: boolean) =>
	fc.oneof(
		{ weight: 6, arbitrary: fc.integer({ min: NOW - 40 * DAY, max: NOW + 2 * DAY }).map((at) => new Date(at).toISOString()) },
		{ weight: 2, arbitrary: fc.integer({ min: NOW - 40 * DAY, max: NOW + 2 * DAY }) },
		{
			weight: 2,
			arbitrary: fc.constantFrom<unknown>(
				'2026-11-27T10:00:00',
				'2020-02-30T10:00:00Z',
				'0000-01-01',
				'1969-12-31T23:59:59Z',
				8.64e15,
				'9999-12-31T00:00:00Z',
				-1,
				'yesterday',
			),
		},
		...(withAbsent ? [{ weight: 1, arbitrary: fc.constant(undefined) }] : []),
	);
const contactId = fc.constantFrom('a', 'b', 'c', 'd');
const funnelName = fc.constantFrom('Solar check', 'Roof, quiz');
const answer = fc.record(
	{ id: identifier, value, title: fc.string({ maxLength: 8 }), type: fc.constantFrom('email', 'phone', 'text') },
	{ requiredKeys: ['id'] },
);
const response = (withAbsent: boolean) =>
	fc.record(
		{
			type: fc.constant('response'),
			contactId,
			funnelName,
			timestamp: time(withAbsent),
			answers: fc.array(answer, { maxLength: 5 }),
			page: fc.record({ isLast: fc.boolean(), result: fc.constantFrom(null, 'Good fit', 'Bad fit') }),
			cookies: fc.array(fc.constantFrom('GA', 'Meta Pixel'), { maxLength: 2 }),
		},
		{ requiredKeys: ['type', 'contactId', 'funnelName', ...(withAbsent ? [] : ['timestamp' as const])] },
	);
const snapshot = (withAbsent: boolean) =>
	fc.record(
		{
			id: contactId,
			funnelName,
			meta: fc.record(
				{ lastSeenAt: time(withAbsent), createdAt: time(withAbsent), converted: fc.boolean(), completed: fc.boolean() },
				{ requiredKeys: withAbsent ? [] : ['lastSeenAt', 'createdAt'] },
			),
			profile: fc.dictionary(identifier, fc.record({ value, title: fc.string({ maxLength: 8 }) }, { requiredKeys: ['value'] }), { maxKeys: 5 }),
		},
		{ requiredKeys: ['id', 'funnelName', ...(withAbsent ? [] : ['meta' as const])] },
	);
const event = (withAbsent: boolean) => fc.oneof(response(withAbsent), snapshot(withAbsent));
const body = (withAbsent: boolean) =>
	fc.oneof(
		{ weight: 4, arbitrary: event(withAbsent) },
		{ weight: 4, arbitrary: fc.array(event(withAbsent), { minLength: 1, maxLength: 4 }) },
		{ weight: 1, arbitrary: fc.oneof(fc.string(), fc.integer(), fc.constant([]), fc.constant(null)) },
	);
const contentType = fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded');
const request = (withAbsent: boolean) => fc.record({ body: body(withAbsent), contentType });
/** Requests a node accepts, so that most of them change the state (and can fail doing so). */
const validResponse = fc.record({
	type: fc.constant('response'),
	contactId,
	funnelName,
	timestamp: fc.integer({ min: NOW - 40 * DAY, max: NOW + DAY / 24 }).map((at) => new Date(at).toISOString()),
	answers: fc.array(fc.record({ id: fc.constantFrom('email', 'phone', 'q1', 'address.city', 'x.100000000'), value: fc.oneof(fc.string({ maxLength: 12 }), fc.integer()) }), { maxLength: 4 }),
	page: fc.record({ isLast: fc.boolean() }),
});
const validRequest = fc.record({
	body: fc.oneof(validResponse, fc.array(validResponse, { minLength: 1, maxLength: 3 })),
	contentType: fc.constantFrom(undefined, 'application/json'),
});
const mostlyValid = fc.oneof({ weight: 3, arbitrary: validRequest }, { weight: 1, arbitrary: request(false) });
const options = fc.record({
	outputFormat: fc.constantFrom('webhook', 'simplified'),
	maxContacts: fc.constantFrom<unknown>(2, 3, 10_000, 0.5, 0, '3', undefined),
	funnelNameList: fc.constantFrom<unknown>(undefined, [], ['Roof, quiz']),
});

// ---- the node under test ------------------------------------------------------------------

interface Sent {
	status: number;
	json: IDataObject;
	items: IDataObject[];
}

async function send(node: FakeNode, { body: sent, contentType: type }: { body: unknown; contentType?: string }): Promise<Sent> {
	const headers = type ? { 'content-type': type } : undefined;
	const { recorded, items } = await sendToTrigger({ body: structuredClone(sent), headers }, node);
	return { status: recorded.status ?? 0, json: recorded.json ?? {}, items };
}

/** No array and no key that names an Object.prototype member, at any depth. */
function isPlainTree(tree: unknown): boolean {
	if (Array.isArray(tree)) return false;
	if (typeof tree !== 'object' || tree === null) return true;
	return Object.keys(tree).every((key) => !(key in Object.prototype) && isPlainTree((tree as Record<string, unknown>)[key]));
}

const storedContacts = (node: FakeNode) => {
	const stored = node.staticData?.contacts;
	if (typeof stored !== 'string') return [];
	return decodeContacts(stored)
		.contacts.map((contact) => viewOf(contact))
		.sort((a, b) => (a.id < b.id ? -1 : 1));
};

/** Static data whose `contacts` cannot be written: a database that fails mid-request. */
function failingCopy(staticData: IDataObject): IDataObject {
	const trap: IDataObject = {};
	for (const key of ['format', 'revision']) {
		Object.defineProperty(trap, key, { enumerable: true, get: () => staticData[key], set: () => undefined });
	}
	Object.defineProperty(trap, 'contacts', {
		enumerable: true,
		get: () => staticData.contacts,
		set: () => {
			throw new Error('the database went away');
		},
	});
	return trap;
}

// ---- properties ---------------------------------------------------------------------------

describe('any sequence of hostile requests', () => {
	it('gets a 2xx with bounded plain items and a readable bounded state, or a 4xx that changes nothing; each event emits once', async () => {
		await fc.assert(
			fc.asyncProperty(options, fc.array(request(true), { minLength: 1, maxLength: 6 }), async (chosen, requests) => {
				const node: FakeNode = { workflowId: `property-${++serial}`, staticData: {}, parameters: { options: chosen } };
				let input = 0;
				const emitted = new Set<string>();
				for (const sent of requests) {
					input += JSON.stringify(sent.body ?? null).length;
					const before = JSON.stringify(node.staticData);
					const answer = await send(node, sent);
					expect([200, 400, 413, 415]).toContain(answer.status);
					if (answer.status !== 200) {
						expect(answer.items).toEqual([]);
						expect(JSON.stringify(node.staticData)).toBe(before);
						continue;
					}
					for (const item of answer.items) {
						expect(isPlainTree(item.profile ?? item.fields)).toBe(true);
						expect(JSON.stringify(item).length).toBeLessThanOrEqual(4 * input + 1_000);
						const key = `${item.id}:${item.event}`;
						expect(emitted.has(key)).toBe(false);
						emitted.add(key);
					}
					const stored = node.staticData?.contacts;
					if (typeof stored === 'string') {
						expect(stored.length).toBeLessThanOrEqual(LIMITS.stateCharacters);
						expect(decodeContacts(stored).unreadable).toBe(0);
					}
				}
			}),
			{ seed: 20261128, numRuns: 150 },
		);
	});

	it('leaves no trace of a request that failed inside the node: its retry does what it would have done', async () => {
		let failures = 0;
		await fc.assert(
			fc.asyncProperty(
				options,
				fc.array(mostlyValid, { minLength: 1, maxLength: 5 }),
				fc.nat(),
				async (chosen, requests, pick) => {
					const failAt = pick % requests.length;
					const parameters = { options: chosen };
					const twin: FakeNode = { workflowId: `twin-${++serial}`, staticData: {}, parameters };
					const node: FakeNode = { workflowId: `failing-${serial}`, staticData: {}, parameters };
					for (const [index, sent] of requests.entries()) {
						if (index === failAt) {
							const failed = await send({ ...node, staticData: failingCopy(node.staticData as IDataObject) }, sent);
							// a request that stores nothing cannot fail this way; one that does answers 500
							if (failed.status === 500) {
								failures++;
								expect(failed.items).toEqual([]);
								expect(failed.json).toEqual({ error: 'internal_error', message: expect.any(String) });
							}
						}
						const mine = await send(node, sent);
						const theirs = await send(twin, sent);
						expect({ status: mine.status, json: mine.json, items: mine.items }).toEqual({ status: theirs.status, json: theirs.json, items: theirs.items });
						expect(storedContacts(node)).toEqual(storedContacts(twin));
					}
				},
			),
			{ seed: 9, numRuns: 120 },
		);
		expect(failures).toBeGreaterThan(40);
	});
});
