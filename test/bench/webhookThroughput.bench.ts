/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * `npm run bench`: 100,000 response events over 10,000 contacts through the node's
 * webhook() and its static data, one event per request as Perspective-style sources send
 * them. Like n8n, every request gets a copy of the static data parsed from its stored JSON,
 * and the copy is serialised again afterwards. Prints events per second and the state size.
 *
 * Not a test: nothing is asserted. Options: --contacts N --events-per-contact N --open N
 */
import type { IDataObject } from 'n8n-workflow';

import { join } from 'path';

import { fakeWebhookContext } from '../helpers/fakeWebhookContext';

// The shipped build (`npm run bench` builds first), typed by its source: loaded at run time by
// path, so that the type check needs no build. (For ts-node, the source's .node.json codex file
// would also shadow .node.ts.)
const dist = join(__dirname, '..', '..', 'dist', 'nodes', 'PerspectiveFunnel');
/* eslint-disable @typescript-eslint/no-require-imports */
const { PerspectiveFunnelTrigger } = require(join(dist, 'PerspectiveFunnelTrigger.node')) as typeof import('../../nodes/PerspectiveFunnel/PerspectiveFunnelTrigger.node');
const { decodeContacts } = require(join(dist, 'funnel', 'codec')) as typeof import('../../nodes/PerspectiveFunnel/funnel/codec');
/* eslint-enable @typescript-eslint/no-require-imports */

function option(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const CONTACTS = option('contacts', 10_000);
const EVENTS_PER_CONTACT = option('events-per-contact', 10);
/** How many visitors are in the funnel at the same time (their events interleave). */
const OPEN = option('open', 500);

function eventFor(contact: number, step: number, at: number) {
	const contactId = `c_${contact.toString(36).padStart(6, '0')}`;
	const base = { type: 'response', contactId, funnelName: 'Solar check', timestamp: new Date(at).toISOString() };
	if (step === EVENTS_PER_CONTACT - 1) return { ...base, page: { isLast: true, result: 'Good fit' } };
	if (step === Math.floor(EVENTS_PER_CONTACT / 2)) {
		return { ...base, answers: [{ id: 'firstName', value: 'Ada' }, { id: 'email', value: `${contactId}@example.com` }] };
	}
	return {
		...base,
		globalId: `g_${contactId}`,
		answers: [
			{ id: `q${step}`, title: `Question ${step}`, value: step % 2 ? ['Flat', 'Gable'] : 120 + step },
			...(step === 1 ? [{ id: 'address.city', value: 'Berlin' }] : []),
		],
		...(step === 0 ? { cookies: ['Google Analytics', 'Meta Pixel'] } : {}),
	};
}

async function main() {
	const trigger = new PerspectiveFunnelTrigger();
	let stored = '{}';
	let requests = 0;
	let emitted = 0;
	let largest = 0;
	let busiestOpen = 0;
	let inWebhook = 0n;
	const start = Date.now() - 7 * 24 * 3600_000;
	const began = process.hrtime.bigint();
	for (let wave = 0; wave < CONTACTS; wave += OPEN) {
		const members = Array.from({ length: Math.min(OPEN, CONTACTS - wave) }, (_, index) => wave + index);
		for (let step = 0; step < EVENTS_PER_CONTACT; step++) {
			for (const contact of members) {
				const staticData = JSON.parse(stored) as IDataObject;
				const body = eventFor(contact, step, start + (wave * EVENTS_PER_CONTACT + step) * 1000 + contact);
				const { context, recorded } = fakeWebhookContext({ body }, { workflowId: 'bench', staticData });
				const entered = process.hrtime.bigint();
				const result = await trigger.webhook.call(context);
				inWebhook += process.hrtime.bigint() - entered;
				if (recorded.status !== 200) throw new Error(`request refused: ${JSON.stringify(recorded.json)}`);
				emitted += result.workflowData?.[0].length ?? 0;
				stored = JSON.stringify(staticData);
				requests++;
			}
			if (stored.length > largest) {
				largest = stored.length;
				busiestOpen = members.length;
			}
		}
	}
	const seconds = Number(process.hrtime.bigint() - began) / 1e9;
	const held = decodeContacts((JSON.parse(stored) as { contacts: string }).contacts).contacts.length;
	const rate = (value: number) => Math.round(value).toLocaleString('en-US');
	console.log(`Perspective Funnel Trigger, webhook() with static data re-read and re-written per request`);
	console.log(`  node ${process.version}, ${CONTACTS.toLocaleString('en-US')} contacts × ${EVENTS_PER_CONTACT} events, ${OPEN} visitors in the funnel at a time`);
	console.log(`  events:             ${requests.toLocaleString('en-US')} in ${seconds.toFixed(2)} s = ${rate(requests / seconds)} events/s`);
	const own = Number(inWebhook) / 1e9;
	console.log(`  of which webhook(): ${own.toFixed(2)} s = ${((own / requests) * 1000).toFixed(3)} ms per event; the rest is the n8n-like parse and serialise of static data`);
	console.log(`  items emitted:      ${emitted.toLocaleString('en-US')} (expected ${(CONTACTS * 2).toLocaleString('en-US')})`);
	console.log(`  contacts held:      ${held.toLocaleString('en-US')}`);
	console.log(`  static data at end: ${stored.length.toLocaleString('en-US')} bytes, ${(stored.length / held).toFixed(1)} bytes per contact (all settled)`);
	console.log(`  static data, peak:  ${largest.toLocaleString('en-US')} bytes, with up to ${busiestOpen} contacts open`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
