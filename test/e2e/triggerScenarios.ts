/**
 * The webhook trigger's scenarios in a real n8n, shared by the static-data trigger
 * (trigger.e2e.test.ts) and the Redis trigger (redisTrigger.e2e.test.ts): each file starts its
 * n8n with its workflows and runs these against them, in its own order.
 */
import { perspectiveBody, visitorSession, type Suite } from './suite';

/** A trigger under test: its n8n, its workflows, and where it keeps its contacts. */
export interface TriggerUnderTest {
	suite: () => Suite;
	/** The workflow most scenarios post to. */
	main: { id: string; webhookId: string };
	/** A workflow of its own for the concurrent burst. */
	burst: { id: string; webhookId: string };
	/** The contact ids in the trigger's memory, once it holds `ids` (or after a timeout). */
	storedContactIdsIncluding: (workflowId: string, ids: string[]) => Promise<string[]>;
	/** The contact ids in the trigger's memory now. */
	storedContactIds: (workflowId: string) => Promise<string[]>;
}

export const ofContact = (items: Array<Record<string, unknown>>, id: string) => items.filter((item) => item.id === id);
export const events = (items: Array<Record<string, unknown>>) => items.map((item) => item.event);

/** A scenario: its title (the `it`), and what it does against a trigger under test. */
export interface Scenario {
	title: string;
	run: (t: TriggerUnderTest) => Promise<void>;
}

export const session: Scenario = {
	title: 'turns a realistic session into exactly one new_lead and one funnel_completed',
	run: async (t) => {
		const suite = t.suite();
		const before = (await suite.executions(t.main.id)).length;
		for (const event of visitorSession('s_1')) {
			expect((await suite.post(suite.url(t.main.webhookId), event)).status).toBe(200);
		}
		// a visitor who abandons before giving an email emits nothing
		for (const event of visitorSession('s_abandoned').slice(0, 2)) await suite.post(suite.url(t.main.webhookId), event);
		const executions = (await suite.executions(t.main.id, before + 2)).slice(before);
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
	},
};

export const replay: Scenario = {
	title: 'starts one execution for the same Perspective body sent three times',
	run: async (t) => {
		const suite = t.suite();
		const before = (await suite.executions(t.main.id)).length;
		const replies = [];
		for (let round = 0; round < 3; round++) replies.push(await suite.post(suite.url(t.main.webhookId), perspectiveBody('p_replay', false)));
		expect(replies.map((reply) => reply.body.emitted)).toEqual([1, 0, 0]);
		const added = (await suite.executions(t.main.id, before + 1)).slice(before);
		expect(added.flatMap((execution) => events(execution.items))).toEqual(['new_lead']);
	},
};

export const bothUrls: Scenario = {
	title: 'receives both Perspective webhooks on two URLs that differ only by ?trigger=',
	run: async (t) => {
		const suite = t.suite();
		const before = (await suite.executions(t.main.id)).length;
		const lead = await suite.post(suite.url(t.main.webhookId, { trigger: 'new_lead' }), perspectiveBody('p_both', false));
		const done = await suite.post(suite.url(t.main.webhookId, { trigger: 'funnel_completed' }), perspectiveBody('p_both', true));
		expect([lead.status, done.status]).toEqual([200, 200]);
		const items = (await suite.executions(t.main.id, before + 2)).slice(before).flatMap((execution) => execution.items);
		expect(events(items)).toEqual(['new_lead', 'funnel_completed']);
		expect(items[1]).toMatchObject({ profile: { result: { value: 'Good fit' }, address: { city: { value: 'Berlin' } } } });
	},
};

export const badInput: Scenario = {
	title: 'refuses each class of bad input with its 4xx, starts nothing and keeps the state untouched',
	run: async (t) => {
		const suite = t.suite();
		const url = suite.url(t.main.webhookId);
		const contact = 'bad_1';
		const converting = { type: 'response', contactId: contact, funnelName: 'Solar check', answers: [{ id: 'email', value: 'x@example.com' }, { id: 'secretField', value: 'leaked' }] };
		const before = (await suite.executions(t.main.id)).length;
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
		expect((await suite.executions(t.main.id)).length).toBe(before);
		expect(await t.storedContactIds(t.main.id)).not.toContain(contact);
		// The contact was never converted by the refused requests, and none of their fields stuck.
		const accepted = await suite.post(url, { type: 'response', contactId: contact, funnelName: 'Solar check', answers: [{ id: 'phone', value: '+1 555 0100' }] });
		expect(accepted.body).toMatchObject({ emitted: 1 });
		const [lead] = (await suite.executions(t.main.id, before + 1)).slice(before).flatMap((execution) => execution.items);
		expect(lead).toMatchObject({ event: 'new_lead', id: contact });
		expect(Object.keys(lead.profile as object)).toEqual(['phone']);
	},
};

export const burst: Scenario = {
	title: 'handles concurrent requests of many contacts without losing a field or emitting twice',
	run: async (t) => {
		const suite = t.suite();
		const url = suite.url(t.burst.webhookId);
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
		const items = await suite.emitted(t.burst.id, ids.length * 2);
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
		expect((await t.storedContactIdsIncluding(t.burst.id, ids)).sort()).toEqual([...ids].sort());
	},
};

export const restart: Scenario = {
	title: 'keeps the state across a restart: the item after it carries the whole profile',
	run: async (t) => {
		const suite = t.suite();
		const url = suite.url(t.main.webhookId);
		const session = visitorSession('restart_1');
		for (const event of session.slice(0, 2)) expect((await suite.post(url, event)).status).toBe(200);
		const before = (await suite.executions(t.main.id)).length;
		// n8n 2.x answers before its save of static data lands: let it land before stopping
		expect(await t.storedContactIdsIncluding(t.main.id, ['restart_1'])).toContain('restart_1');
		await suite.restart();
		for (const event of session.slice(2)) expect((await suite.post(url, event)).status).toBe(200);
		const items = (await suite.executions(t.main.id, before + 2)).slice(before).flatMap((execution) => execution.items);
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
	},
};
