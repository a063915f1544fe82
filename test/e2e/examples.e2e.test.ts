/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * The example workflows of examples/ in a real n8n (line N8N_LINE): each imports as it is
 * shipped, activates, and a Perspective New Lead body sent to its production URL runs the trigger.
 * The nodes after the trigger have no credentials here, so their part of the run fails; what
 * is asserted is what the trigger and n8n did.
 */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';

import { ROOT } from '../../scripts/lib/n8n';
import { TRIGGER_NODE_NAME, TRIGGER_TYPE } from '../../scripts/lib/workflows';
import { LINE, Suite, perspectiveBody } from './suite';

interface ExampleNode {
	name: string;
	type: string;
	webhookId?: string;
	credentials?: unknown;
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const EXAMPLES_DIR = join(ROOT, 'examples');

const examples = readdirSync(EXAMPLES_DIR)
	.filter((file) => file.endsWith('.json'))
	.sort()
	.map((file, index) => {
		const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Example;
		const trigger = workflow.nodes.find((node) => node.type === TRIGGER_TYPE);
		// n8n's own ids are 16 characters; the files carry none, as the editor's import needs none.
		const id = `e2eExample${String(index).padStart(6, '0')}`;
		const next = trigger ? workflow.connections[trigger.name]?.main[0]?.[0]?.node : undefined;
		return { file, id, workflow, trigger, next };
	});

let suite: Suite;

beforeAll(async () => {
	suite = await Suite.start(
		'examples',
		LINE === '1' ? 5851 : 5852,
		examples.map(({ workflow, id }) => ({ ...workflow, id })),
	);
});

afterAll(async () => {
	await suite?.stop();
});

describe(`n8n ${LINE}.x: the example workflows`, () => {
	it('are three, each a Perspective Funnel Trigger on New Lead feeding a built-in node without credentials', () => {
		expect(examples.map(({ file }) => file)).toEqual(['lead-to-google-sheets.json', 'lead-to-hubspot.json', 'lead-to-sales-email.json']);
		for (const { workflow, trigger, next } of examples) {
			expect(trigger).toMatchObject({ name: TRIGGER_NODE_NAME, webhookId: expect.any(String) });
			expect(next).toBeDefined();
			for (const node of workflow.nodes) {
				expect(node.type === TRIGGER_TYPE || node.type.startsWith('n8n-nodes-base.')).toBe(true);
				expect(node.credentials).toBeUndefined();
			}
		}
	});

	it.each(examples.map((example) => [example.file, example] as const))(
		'%s: activated, its production URL takes a New Lead and runs the trigger',
		async (_file, { id, trigger, next }) => {
			const body = perspectiveBody(`lead_${id}`, false);
			const reply = await suite.post(suite.url(trigger!.webhookId!), body);
			expect(reply).toEqual({ status: 200, body: { received: 1, emitted: 1, ignored: 0, expired: 0 } });

			const [execution, ...more] = await suite.executions(id, 1);
			expect(more).toEqual([]);
			expect(execution.mode).toBe('webhook');
			expect(execution.items).toEqual([
				expect.objectContaining({ event: 'new_lead', id: body.id, funnelName: 'Solar check', profile: body.profile }),
			]);
			// the trigger handed its item on; the next node, without credentials, ended the run
			expect(execution.lastNode).toBe(next);
			expect(execution.status).toBe('error');
			expect(execution.error?.node).toBe(next);
		},
	);
});
