import { withLineSection } from '../../scripts/lib/benchmarksDoc';

const doc = ['# Benchmarks', '', '## End to end', '', 'Method.', '', '## In process', '', 'Figures.', ''].join('\n');
const one = (date: string) => `### n8n 1.x: ${date}\n\nTable 1 of ${date}.\n`;
const two = (date: string) => `### n8n 2.x: ${date}\n\nTable 2 of ${date}.\n`;

describe('docs/benchmarks.md: one section per n8n line', () => {
	it('puts a first section before the in-process part, line 1 before line 2 whichever came first', () => {
		const withTwo = withLineSection(doc, '2', two('d1'));
		expect(withTwo).toBe('# Benchmarks\n\n## End to end\n\nMethod.\n\n### n8n 2.x: d1\n\nTable 2 of d1.\n\n## In process\n\nFigures.\n');
		const withBoth = withLineSection(withTwo, '1', one('d2'));
		expect(withBoth.indexOf('### n8n 1.x')).toBeLessThan(withBoth.indexOf('### n8n 2.x'));
		expect(withBoth).toContain('Method.\n\n### n8n 1.x: d2\n\nTable 1 of d2.\n\n### n8n 2.x: d1');
	});

	it('replaces its own line\'s section only, up to the next heading', () => {
		const both = withLineSection(withLineSection(doc, '1', one('d1')), '2', two('d1'));
		const again = withLineSection(both, '1', one('d3'));
		expect(again).toBe(both.replace(one('d1'), one('d3')));
		expect(withLineSection(again, '2', two('d4'))).toBe(again.replace(two('d1'), two('d4')));
	});

	it('appends to a file without an in-process part', () => {
		expect(withLineSection('# Benchmarks\n', '1', one('d1'))).toBe('# Benchmarks\n\n### n8n 1.x: d1\n\nTable 1 of d1.\n');
	});
});
