/**
 * docs/benchmarks.md holds one section per n8n line, `### n8n 1.x: <date>` and `### n8n 2.x: <date>`,
 * each up to the next heading; `npm run bench:e2e` puts its line's new section in place of the last.
 */
export function withLineSection(doc: string, line: '1' | '2', section: string): string {
	const lines = doc.replace(/\n+$/, '').split('\n');
	const heading = (index: number) => /^#{1,3} /.test(lines[index]);
	const mine = lines.findIndex((text) => text.startsWith(`### n8n ${line}.x`));
	let start: number;
	let end: number;
	if (mine >= 0) {
		start = mine;
		end = lines.findIndex((_, index) => index > mine && heading(index));
		if (end < 0) end = lines.length;
	} else {
		// line 1 goes before line 2's section; either goes before `## In process`, or at the end
		const other = lines.findIndex((text) => text.startsWith(`### n8n ${line === '1' ? '2' : '1'}.x`));
		const inProcess = lines.findIndex((text) => text.startsWith('## In process'));
		start = line === '1' && other >= 0 ? other : inProcess >= 0 ? inProcess : lines.length;
		end = start;
	}
	const before = lines.slice(0, start);
	if (before.length > 0 && before[before.length - 1] !== '') before.push('');
	const after = lines.slice(end);
	return `${[...before, ...section.trim().split('\n'), ...(after.length > 0 ? ['', ...after] : [])].join('\n')}\n`;
}
