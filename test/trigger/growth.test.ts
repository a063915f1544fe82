import type { IDataObject } from 'n8n-workflow';

import { decodeContacts } from '../../nodes/PerspectiveFunnel/funnel/codec';
import { PerspectiveFunnelTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelTrigger.node';
import { fakeWebhookContext } from '../helpers/fakeWebhookContext';

const trigger = new PerspectiveFunnelTrigger();

/** 100,000 contacts in batches of 500, three in ten of them leads, with the default options. */
async function pushContacts(total: number) {
	const staticData: IDataObject = {};
	const start = Date.now() - 3_600_000;
	let emitted = 0;
	for (let first = 0; first < total; first += 500) {
		const body = Array.from({ length: 500 }, (_, offset) => {
			const index = first + offset;
			return {
				type: 'response',
				contactId: `c${index}`,
				funnelName: 'Solar check',
				timestamp: new Date(start + index * 10).toISOString(),
				answers: index % 10 < 3 ? [{ id: 'email', value: `c${index}@example.com` }] : [{ id: 'roofType', title: 'Which roof?', value: ['Flat', 'Gable'] }],
			};
		});
		const { context, recorded } = fakeWebhookContext({ body }, { workflowId: 'growth', staticData, parameters: { events: ['newLead'] } });
		const result = await trigger.webhook.call(context);
		expect(recorded.status).toBe(200);
		emitted += result.workflowData?.[0].length ?? 0;
	}
	return { staticData, emitted };
}

it('stays within maxContacts (default 10,000) after 100,000 contacts, keeping the most recently seen', async () => {
	const { staticData, emitted } = await pushContacts(100_000);
	expect(emitted).toBe(30_000);
	const held = decodeContacts(String(staticData.contacts)).contacts.map((contact) => contact.id);
	expect(held).toHaveLength(10_000);
	expect(new Set(held)).toEqual(new Set(Array.from({ length: 10_000 }, (_, index) => `c${90_000 + index}`)));
	// settled leads ~40 bytes, open visitors with one answer ~70: far below 200 bytes each
	expect(JSON.stringify(staticData).length / held.length).toBeLessThan(100);
});
