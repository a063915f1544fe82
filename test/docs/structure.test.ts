/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * The drawing of the packages' structure in docs/development.md is what `npm run structure`
 * draws from the imports today, and the imports keep the layout the docs describe: the Redis
 * package builds on the webhook core alone, and the pure core imports nothing of n8n.
 */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join, resolve } from 'path';

const ROOT = resolve(__dirname, '..', '..');
const script = (...args: string[]) => execFileSync(process.execPath, [join(ROOT, 'scripts', 'draw-structure.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
const { sources, edges } = JSON.parse(script('--json')) as { sources: string[]; edges: Array<[string, string]> };
const importsOf = (group: string) => edges.filter(([from]) => from === group).map(([, to]) => to);

describe('the structure drawn from the imports', () => {
	it('is the block committed in docs/development.md (npm run structure -- --write redraws it)', () => {
		const doc = readFileSync(join(ROOT, 'docs', 'development.md'), 'utf8');
		const block = /<!-- structure:start -->\n([\s\S]*?)<!-- structure:end -->/.exec(doc)?.[1];
		expect(block).toBe(script());
	});

	it('draws every folder of both packages', () => {
		expect(sources).toEqual(expect.arrayContaining(['funnel', 'trigger', 'api', 'transport', 'actions', 'methods', 'polling', 'shared', 'credentials', 'redis nodes', 'redis credentials']));
	});

	it("the Redis package's node imports the webhook core (funnel, trigger)", () => {
		expect(importsOf('redis nodes')).toEqual(expect.arrayContaining(['funnel', 'trigger']));
	});

	it.each(['redis nodes', 'redis credentials'])('%s import nothing of the REST API nodes', (group) => {
		expect(importsOf(group).filter((to) => /^(api|transport|actions|methods|polling|PerspectiveFunnel(PollTrigger)?\.node)$/.test(to))).toEqual([]);
	});

	it('funnel/ imports no n8n package', () => {
		expect(importsOf('funnel').filter((to) => /n8n/.test(to))).toEqual([]);
	});
});
