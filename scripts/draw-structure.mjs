// `npm run structure`: the packages' structure drawn from their imports, as a Mermaid flowchart
// of folders (one node per folder of nodes/PerspectiveFunnel/, per node file, per credentials
// folder, the Redis package's node folder, and each outside package), an edge for every folder
// that imports from another. Read from the source with TypeScript's preProcessFile (type-only
// imports included), so the drawing cannot drift from the code.
//
//   npm run structure              print the block
//   npm run structure -- --write   put it between the markers in docs/development.md
//   npm run structure -- --json    the groups and the edges as [from, to] pairs (for test/docs/)
import { isBuiltin } from 'node:module';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['nodes', 'credentials', 'redis/nodes', 'redis/credentials'];
const DOC = 'docs/development.md';
const START = '<!-- structure:start -->';
const END = '<!-- structure:end -->';
const CORE = 'nodes/PerspectiveFunnel/';

/** Every .ts file under a folder, as a path relative to the root with forward slashes. */
function tsFiles(folder) {
	return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
		.map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

/** The group a source path (relative to the root, extension optional) is drawn in. */
function groupOf(path) {
	if (path.startsWith('redis/nodes/')) return 'redis nodes';
	if (path.startsWith('redis/credentials/')) return 'redis credentials';
	if (path.startsWith('credentials/')) return 'credentials';
	if (path.startsWith(CORE)) {
		const rest = path.slice(CORE.length);
		// a folder of the core (actions/contact/… is drawn as actions), or a node file
		return rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : rest.replace(/\.ts$/, '');
	}
	throw new Error(`${path}: outside the folders drawn`);
}

/** The group an import names: a source folder, or the outside package ('n8n-workflow', '@scope/x'). */
function importedGroup(file, specifier) {
	if (specifier.startsWith('.')) {
		return groupOf(relative(ROOT, resolve(ROOT, dirname(file), specifier)).split('\\').join('/'));
	}
	const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
	return isBuiltin(name) ? `${name.replace(/^node:/, '')} (Node.js)` : name;
}

/** The source groups, and [from, to] pairs of group labels, each once, sorted; imports within a group left out. */
export function readStructure() {
	const sources = new Set();
	const edges = new Set();
	for (const file of SOURCES.flatMap(tsFiles)) {
		const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
		const from = groupOf(file);
		sources.add(from);
		for (const { fileName } of importedFiles) {
			const to = importedGroup(file, fileName);
			if (to !== from) edges.add(JSON.stringify([from, to]));
		}
	}
	return { sources: [...sources].sort(), edges: [...edges].sort().map((edge) => JSON.parse(edge)) };
}

const REDIS = ['redis nodes', 'redis credentials'];

/** The Mermaid block, fenced: each package a subgraph of its groups, outside packages as rounded nodes. */
export function drawStructure({ sources, edges } = readStructure()) {
	const outside = [...new Set(edges.map(([, to]) => to))].filter((group) => !sources.includes(group)).sort();
	const id = (group) => group.replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, '');
	const lines = [
		'```mermaid',
		'flowchart LR',
		'  subgraph main["n8n-nodes-perspective-funnel"]',
		...sources.filter((group) => !REDIS.includes(group)).map((group) => `    ${id(group)}["${group}"]`),
		'  end',
		'  subgraph redis["n8n-nodes-perspective-funnel-redis"]',
		...sources.filter((group) => REDIS.includes(group)).map((group) => `    ${id(group)}["${group}"]`),
		'  end',
		...outside.map((group) => `  ${id(group)}(["${group}"])`),
		...edges.map(([from, to]) => `  ${id(from)} --> ${id(to)}`),
		'```',
	];
	return `${lines.join('\n')}\n`;
}

/** docs/development.md with the block between the markers replaced. */
export function withStructure(markdown, block) {
	const start = markdown.indexOf(START);
	const end = markdown.indexOf(END);
	if (start < 0 || end < start) throw new Error(`${DOC}: no ${START} … ${END}`);
	return `${markdown.slice(0, start + START.length)}\n${block}${markdown.slice(end)}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const args = process.argv.slice(2);
	if (args.includes('--json')) {
		console.log(JSON.stringify(readStructure()));
	} else if (args.includes('--write')) {
		const path = join(ROOT, DOC);
		writeFileSync(path, withStructure(readFileSync(path, 'utf8'), drawStructure()));
		console.log(`${DOC}: structure block written`);
	} else {
		process.stdout.write(drawStructure());
	}
}
