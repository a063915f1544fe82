/**
 * How both trigger nodes answer when their memory fails: a 503 with Retry-After when it is
 * unavailable (Redis down or slow), a 500 for anything else; no items and no change either way.
 * The memory here is a test double that fails on purpose; the real Redis failures are in
 * test/redis/.
 */
import type { IDataObject } from 'n8n-workflow';

import { MemoryUnavailable, type ContactMemory } from '../../nodes/PerspectiveFunnel/funnel/memory';
import { runTriggerWebhook } from '../../nodes/PerspectiveFunnel/trigger/webhook';
import { newLeadBody } from '../fixtures/perspective';
import { fakeWebhookContext } from '../helpers/fakeWebhookContext';

const failingMemory = (error: Error): ContactMemory => ({
	transact: async () => {
		throw error;
	},
});

async function sendThrough(memory: ContactMemory) {
	const { context, recorded, staticData } = fakeWebhookContext({ body: newLeadBody({ id: 'c_secret_contact' }) }, { staticData: {} });
	const result = await runTriggerWebhook(context, { memoryFor: () => memory, tokenCredential: 'perspectiveFunnelWebhookApi' });
	return { result, recorded, staticData };
}

describe('when the memory fails', () => {
	it('answers 503 with Retry-After when it is unavailable, starts nothing and logs the reason', async () => {
		const { result, recorded, staticData } = await sendThrough(failingMemory(new MemoryUnavailable('Redis could not be read (connect ECONNREFUSED)', 5)));
		expect(recorded.status).toBe(503);
		expect(recorded.headers).toEqual({ 'retry-after': '5' });
		expect(recorded.json).toEqual({
			error: 'memory_unavailable',
			message: "The trigger's memory is unavailable; nothing was emitted. Send the request again later.",
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(staticData).toEqual({});
		expect(recorded.logs).toEqual([
			'warn: Perspective Funnel Trigger: Redis could not be read (connect ECONNREFUSED); answered 503, nothing was emitted',
		]);
	});

	it('answers 500 for any other failure, without the request content', async () => {
		const { result, recorded } = await sendThrough(failingMemory(new Error('disk full')));
		expect(recorded.status).toBe(500);
		expect(recorded.headers).toEqual({});
		expect((recorded.json as IDataObject).error).toBe('internal_error');
		expect(result.workflowData).toBeUndefined();
		expect(recorded.logs.join('\n')).not.toContain('c_secret_contact');
	});
});
