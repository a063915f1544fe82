/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * `npm run simulate -- [<production URL>] [--token <secret>]`: plays a realistic funnel
 * session against a Perspective Funnel Trigger: one visitor abandons, one converts, one
 * converts and completes, and Perspective's own two webhooks arrive for a fourth (twice).
 * Without a URL it plays against the example workflow of `npm start` (on PORT, 5678 by default).
 */
import { DEMO_WORKFLOW, demoPort, productionUrl } from './lib/workflows';

const args = process.argv.slice(2);
const url = args.find((arg) => /^https?:\/\//.test(arg)) ?? productionUrl(`http://127.0.0.1:${demoPort()}`, DEMO_WORKFLOW.webhookId);
const tokenIndex = args.indexOf('--token');
const token = tokenIndex >= 0 ? args[tokenIndex + 1] : undefined;

const start = Date.now() - 15 * 60_000;
const at = (minute: number) => new Date(start + minute * 60_000).toISOString();
const run = `${Date.now().toString(36)}`;
const response = (contactId: string, minute: number, extra: Record<string, unknown>) => ({
	type: 'response',
	contactId: `${contactId}_${run}`,
	funnelName: 'Solar check',
	globalId: `g_${contactId}_${run}`,
	timestamp: at(minute),
	...extra,
});

const steps: Array<[string, unknown]> = [
	['Mia answers the first question', response('mia', 0, { answers: [{ id: 'roofType', title: 'Which roof do you have?', value: ['Flat'] }], cookies: ['Google Analytics'] })],
	['Mia leaves (abandons)', response('mia', 1, { answers: [{ id: 'monthlyBill', title: 'Monthly electricity bill', value: 90 }] })],
	['Noah answers two questions', response('noah', 2, { answers: [{ id: 'roofType', title: 'Which roof do you have?', value: ['Gable', 'Hip'] }, { id: 'address.city', value: 'Hamburg' }] })],
	['Noah leaves his email: New Lead', response('noah', 3, { answers: [{ id: 'firstName', value: 'Noah' }, { id: 'email', value: 'noah@example.com' }] })],
	['Ada answers and accepts cookies', response('ada', 4, { answers: [{ id: 'roofType', title: 'Which roof do you have?', value: ['Flat'] }, { id: 'monthlyBill', title: 'Monthly electricity bill', value: 140 }], cookies: ['Google Analytics', 'Meta Pixel'] })],
	['Ada leaves her phone: New Lead', response('ada', 5, { answers: [{ id: 'firstName', value: 'Ada' }, { id: 'phone', value: '+49 30 1234567' }] })],
	['Ada reaches a result page: Funnel Completed', response('ada', 6, { page: { isLast: true, result: 'Good fit' } })],
];

const perspectiveBody = (completed: boolean) => ({
	id: `ben_${run}`,
	funnelName: 'Solar check',
	meta: { createdAt: at(7), lastSeenAt: at(completed ? 9 : 8), completedAt: completed ? at(9) : null, convertedAt: at(8), globalId: `g_ben_${run}`, completed, converted: true },
	profile: {
		firstName: { value: 'Ben', title: 'First name' },
		email: { value: 'ben@example.com', title: 'Email' },
		address: { city: { value: 'Munich', title: 'City' } },
		...(completed ? { result: { value: 'Call back', title: 'Result' } } : {}),
	},
});

async function post(query: string, body: unknown) {
	const target = new URL(url);
	for (const [key, value] of new URLSearchParams(query)) target.searchParams.set(key, value);
	if (token) target.searchParams.set('token', token);
	const reply = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(
		(error: Error & { cause?: Error }) => {
			throw new Error(`nothing answers at ${target.origin} (${error.cause?.message ?? error.message}): is \`npm start\` running?`);
		},
	);
	return `${reply.status} ${await reply.text()}`;
}

async function main() {
	for (const [what, body] of steps) console.log(`${what.padEnd(48)} → ${await post('', body)}`);
	console.log(`${"Perspective's New Lead webhook for Ben".padEnd(48)} → ${await post('trigger=new_lead', perspectiveBody(false))}`);
	console.log(`${"Perspective's Funnel Completed webhook for Ben".padEnd(48)} → ${await post('trigger=funnel_completed', perspectiveBody(true))}`);
	console.log(`${'The same two webhooks again (a replay)'.padEnd(48)} → ${await post('trigger=new_lead', perspectiveBody(false))}, ${await post('trigger=funnel_completed', perspectiveBody(true))}`);
	console.log('\nExpected: New Lead for Noah, Ada and Ben; Funnel Completed for Ada and Ben; nothing for Mia, nothing for the replay.');
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
