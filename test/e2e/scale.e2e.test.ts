/**
 * Exactly once at scale, in a real n8n: 50 contacts × 10 events at concurrency 20, a restart,
 * 50 more contacts, then a replay of everything.
 */
import type { Contact } from '../../nodes/PerspectiveFunnel/funnel/types';
import { triggerWorkflow } from '../../scripts/lib/workflows';
import { LINE, Suite, interleavedSessions, perspectiveBody, visitorSession } from './suite';

const SCALE = { id: 'e2eScaleWorkflow', webhookId: 'e2e-scale' };
const CONCURRENCY = 20;
const AFTER_BURST = 'after_burst';

let suite: Suite;

beforeAll(async () => {
	suite = await Suite.start('scale', LINE === '1' ? 5811 : 5812, [triggerWorkflow({ ...SCALE, name: 'E2E scale' })]);
});

afterAll(async () => {
	await suite?.stop();
});

it(`n8n ${LINE}.x: 100 contacts, a restart and a full replay give 100 new_lead and 100 funnel_completed, nothing lost`, async () => {
	const url = suite.url(SCALE.webhookId);
	const first = Array.from({ length: 50 }, (_, index) => `first_${index}`);
	const second = Array.from({ length: 50 }, (_, index) => `second_${index}`);

	expect(new Set(await suite.postAll(url, interleavedSessions(first), CONCURRENCY))).toEqual(new Set([200]));
	// n8n issues the saves of the burst's last concurrent requests at nearly the same moment and
	// its database applies them in no guaranteed order, so the stored copy may miss the last few
	// changes (docs/exactly-once.md, "Static data"); the next request writes everything known back. Send one,
	// as live traffic would: a visitor's first answer, which emits nothing.
	expect((await suite.post(url, visitorSession(AFTER_BURST)[0])).status).toBe(200);
	// Then the stored state is the newest one: every first contact is converted and completed.
	const settled = (contacts: Contact[]) =>
		first.every((id) => contacts.some((contact) => contact.id === id && contact.convertedAt !== null && contact.completedAt !== null));
	expect(settled(await suite.storedStateWhen(SCALE.id, settled))).toBe(true);
	// n8n 2.x on SQLite queues its writes under load; a stop cancels the queue, executions
	// included. Restart once n8n has caught up, as an operator's restart would.
	expect(await suite.executions(SCALE.id, 100)).toHaveLength(100);
	await suite.restart();

	expect(new Set(await suite.postAll(url, interleavedSessions(second), CONCURRENCY))).toEqual(new Set([200]));
	const everything = [...first, ...second];
	const replay = [...interleavedSessions(everything), ...everything.flatMap((id) => [perspectiveBody(id, false), perspectiveBody(id, true)])];
	expect(new Set(await suite.postAll(url, replay, CONCURRENCY))).toEqual(new Set([200]));

	// What the node decided, from its own answers: 100 new_lead + 100 funnel_completed, once each.
	expect(suite.emittedInAnswers).toBe(200);
	const items = await suite.emitted(SCALE.id, 200);
	const count = (event: string) => items.filter((item) => item.event === event).length;
	const keys = items.map((item) => `${item.id}:${item.event}`);
	expect(new Set(keys).size).toBe(keys.length);
	if (suite.n8nDroppedWrites) {
		// n8n 2.x on SQLite, under load, logs "LockAcquireTimeoutError: SqliteWriteConnectionMutex"
		// and leaves some executions unsaved (seen on the unchanged code too): the node's answers
		// above are then the proof, and what n8n did store must hold no duplicate.
		expect(count('new_lead')).toBeLessThanOrEqual(100);
		expect(count('funnel_completed')).toBeLessThanOrEqual(100);
	} else {
		expect({ new_lead: count('new_lead'), funnel_completed: count('funnel_completed') }).toEqual({ new_lead: 100, funnel_completed: 100 });
	}

	// each item carries every field of the events before its cause, across the restart too
	const answersBeforeLead = ['email', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6'];
	const allFields = [...answersBeforeLead, 'address', 'cookies', 'phone', 'result'].sort();
	for (const item of items) {
		const fields = Object.keys(item.profile as object).sort();
		const expected = item.event === 'new_lead' ? expect.arrayContaining(answersBeforeLead) : allFields;
		expect({ id: item.id, event: item.event, fields }).toEqual({ id: item.id, event: item.event, fields: expected });
	}
	const stored = await suite.storedContactIdsIncluding(SCALE.id, everything);
	expect(stored.filter((id) => id !== AFTER_BURST).sort()).toEqual([...everything].sort());
});
