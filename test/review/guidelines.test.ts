/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * Issue 19: the mechanical part of n8n's review, read from every node and credential that the
 * packages' package.json files list (a node added there is checked without touching this file).
 * The rules and where they come from (n8n-io/n8n-docs unless stated):
 * - codex: categories from n8n's list (`node-codex-files.md`; the unpublished lint rule
 *   `valid-node-categories` of n8n-io/n8n), no subcategories, search aliases, and `nodeVersion`
 *   the node's default version;
 * - copy (`ux-guidelines.md`, `node-ui-design.md`): placeholders start with "e.g.", a boolean's
 *   tooltip with "Whether", options sorted alphabetically, no API names in what the editor
 *   shows (identifiers the user must type are set in <code> or as `?name=` in a URL), the
 *   standard Simplify sentence, operation descriptions that add to the name, sorting outside
 *   Options, a trigger's events named Trigger On without a tooltip, trigger panel copy;
 * - errors (`error-handling.md`, `ux-guidelines.md`): every NodeOperationError and NodeApiError
 *   in the source is built with a description (how to fix it) beside its message (what
 *   happened), and neither says "error", "problem", "failure" or "mistake".
 */
import { readFileSync, readdirSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import * as ts from 'typescript';
import type {
	ICredentialType,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

const ROOT = resolve(__dirname, '..', '..');
const PACKAGE_DIRS = [ROOT, join(ROOT, 'redis')];

/** n8n's node categories (node-codex-files.md), as the unpublished valid-node-categories rule spells them. */
const N8N_CATEGORIES = [
	'Data & Storage',
	'Finance & Accounting',
	'Marketing & Content',
	'Productivity',
	'Miscellaneous',
	'Sales',
	'Development',
	'Analytics',
	'Communication',
	'Utility',
];

const SIMPLIFY = 'Whether to return a simplified version of the response instead of the raw data';

/** The verbs n8n's vocabulary gives operation descriptions (ux-guidelines.md, "Vocabulary"). */
const OPERATION_VERBS = ['Create', 'Retrieve', 'Update', 'Delete', 'Insert', 'List'];

/**
 * Option lists kept in an order other than alphabetical, each with its reason. A list added
 * here is a reviewer's question answered; a list missing from here must be alphabetical.
 */
const ORDERED_LISTS: Record<string, string> = {
	'Time Zone': 'UTC offsets from west to east, the order of a clock; alphabetically UTC+14:00 would come before UTC-01:00',
};

interface PackageJson {
	name: string;
	repository?: { directory?: string };
	n8n: { nodes: string[]; credentials: string[] };
}

interface Listed<T> {
	packageName: string;
	file: string;
	instance: T;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** `dist/nodes/X/Y.node.js` → `<package>/nodes/X/Y.node.ts`, and its class. */
function load<T>(packageDir: string, distPath: string): { file: string; instance: T } {
	const file = join(packageDir, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- each listed file, whatever its name
	const exported = require(file) as Record<string, new () => T>;
	const classes = Object.values(exported).filter((value) => typeof value === 'function');
	expect(classes).toHaveLength(1);
	return { file, instance: new classes[0]() };
}

const packages = PACKAGE_DIRS.map((dir) => ({ dir, json: readJson<PackageJson>(join(dir, 'package.json')) }));
const nodes: Array<Listed<INodeType>> = packages.flatMap(({ dir, json }) =>
	json.n8n.nodes.map((path) => ({ packageName: json.name, ...load<INodeType>(dir, path) })),
);
const credentials: Array<Listed<ICredentialType>> = packages.flatMap(({ dir, json }) =>
	json.n8n.credentials.map((path) => ({ packageName: json.name, ...load<ICredentialType>(dir, path) })),
);

const defaultVersionOf = (description: INodeTypeDescription): number =>
	description.defaultVersion ?? Math.max(...([] as number[]).concat(description.version));

/** Whether a property is shown on a node of this version, as far as `@version` decides. */
function shownOnVersion(property: INodeProperties, version: number): boolean {
	const show = property.displayOptions?.show?.['@version'] as number[] | undefined;
	const hide = property.displayOptions?.hide?.['@version'] as number[] | undefined;
	return (show === undefined || show.includes(version)) && !(hide ?? []).includes(version);
}

interface Visited {
	property: INodeProperties;
	/** Names from the top-level property down to this one. */
	path: string[];
}

/** Every property, and every property inside a collection or a fixed collection, in order. */
function walk(properties: INodeProperties[], path: string[] = []): Visited[] {
	return properties.flatMap((property) => {
		const here = [...path, property.name];
		const nested =
			property.type === 'collection'
				? walk((property.options ?? []) as INodeProperties[], here)
				: property.type === 'fixedCollection'
					? ((property.options ?? []) as INodePropertyCollection[]).flatMap((group) => walk(group.values, [...here, group.name]))
					: [];
		return [{ property, path: here }, ...nested];
	});
}

const staticOptions = (property: INodeProperties): INodePropertyOptions[] =>
	property.type === 'options' || property.type === 'multiOptions' ? ((property.options ?? []) as INodePropertyOptions[]) : [];

/** The words a user reads: HTML tags dropped, identifiers to type (<code>, `?name=value`) left out. */
function readable(text: string): string {
	return text
		.replace(/<code>.*?<\/code>/g, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/[?&][A-Za-z_]+=\S*/g, ' ');
}

/** API words in copy: `ps_…` fields, camelCase and snake_case names, header names. */
function apiWords(text: string): string[] {
	const words = readable(text);
	return [
		...(words.match(/\bps_\w*/g) ?? []),
		...(words.match(/\b[a-z]+[A-Z]\w*/g) ?? []),
		...(words.match(/\b[a-z0-9]+_[a-z0-9_]+\b/g) ?? []),
		...(words.match(/\bx-[a-z]+(?:-[a-z]+)+\b/gi) ?? []),
		...(words.match(/\bAuthorization:/g) ?? []),
	];
}

/** Each text the editor shows for a property, with where it is shown. */
function displayTexts({ property, path }: Visited): Array<[where: string, text: string]> {
	const at = path.join(' → ');
	const texts: Array<[string, string]> = [
		[`${at}: display name`, property.displayName],
		[`${at}: description`, property.description ?? ''],
		[`${at}: hint`, property.hint ?? ''],
	];
	for (const option of staticOptions(property)) {
		texts.push([`${at}: option name`, option.name], [`${at}: option description`, option.description ?? '']);
	}
	return texts.filter(([, text]) => text !== '');
}

/** The placeholders a property shows in a text field: its own, or its locator's modes' (a list's is a prompt). */
function placeholders({ property, path }: Visited): Array<[string, string]> {
	if (property.type === 'collection' || property.type === 'fixedCollection') return []; // the add button's label
	const own: Array<[string, string]> = property.placeholder ? [[path.join(' → '), property.placeholder]] : [];
	const modes = (property.modes ?? [])
		.filter((mode) => mode.type !== 'list' && mode.placeholder)
		.map((mode): [string, string] => [`${path.join(' → ')} (${mode.displayName})`, mode.placeholder!]);
	return [...own, ...modes];
}

/** The texts of a trigger panel: its header, and both states of its help and hint. */
function panelTexts(description: INodeTypeDescription): string[] {
	const panel = description.triggerPanel;
	if (typeof panel !== 'object') return [];
	const both = (value: string | { active: string; inactive: string } | undefined) =>
		value === undefined ? [] : typeof value === 'string' ? [value] : [value.active, value.inactive];
	return [typeof panel.header === 'string' ? panel.header : '', ...both(panel.executionsHelp), ...both(panel.activationHint)];
}

describe.each(nodes.map((node) => [node.instance.description.displayName, node] as const))('%s', (_, { packageName, file, instance }) => {
	const description = instance.description;
	const visited = walk(description.properties);
	const isTrigger = description.group.includes('trigger');

	describe('codex', () => {
		const codex = readJson<Record<string, unknown>>(file.replace(/\.ts$/, '.json'));

		it("names the node and uses only n8n's categories, no subcategories", () => {
			expect(codex.node).toBe(`${packageName}.${description.name}`);
			expect(codex.codexVersion).toBe('1.0');
			expect(Array.isArray(codex.categories) && codex.categories.length > 0).toBe(true);
			for (const category of codex.categories as string[]) expect(N8N_CATEGORIES).toContain(category);
			expect(codex).not.toHaveProperty('subcategories');
		});

		it('gives search keywords (alias)', () => {
			expect(Array.isArray(codex.alias) && codex.alias.length > 0).toBe(true);
			for (const alias of codex.alias as unknown[]) expect(typeof alias === 'string' && alias.trim() !== '').toBe(true);
		});

		it("states the node's default version as nodeVersion", () => {
			expect(Number(codex.nodeVersion)).toBe(defaultVersionOf(description));
		});
	});

	describe('copy', () => {
		it('starts every placeholder of a text field with "e.g."', () => {
			const wrong = visited.flatMap(placeholders).filter(([, placeholder]) => !placeholder.startsWith('e.g. '));
			expect(wrong).toEqual([]);
		});

		it('starts the tooltip of every boolean with "Whether"', () => {
			const wrong = visited
				.filter(({ property }) => property.type === 'boolean' && !(property.description ?? '').startsWith('Whether'))
				.map(({ path }) => path.join(' → '));
			expect(wrong).toEqual([]);
		});

		it('sorts every list of options alphabetically, or says why not', () => {
			const unsorted = visited
				.filter(({ property }) => staticOptions(property).length > 1 && ORDERED_LISTS[property.displayName] === undefined)
				.filter(({ property }) => {
					const names = staticOptions(property).map((option) => option.name);
					return names.join('\n') !== [...names].sort((a, b) => a.localeCompare(b)).join('\n');
				})
				.map(({ path }) => path.join(' → '));
			expect(unsorted).toEqual([]);
		});

		it("uses the words of Perspective's app, not its API's names, in everything the editor shows", () => {
			const texts = [
				...visited.flatMap(displayTexts),
				['subtitle', description.subtitle?.startsWith('=') ? '' : (description.subtitle ?? '')],
				['description', description.description],
				['activation message', description.activationMessage ?? ''],
				['listening', description.eventTriggerDescription ?? ''],
				...panelTexts(description).map((text): [string, string] => ['trigger panel', text]),
			] as Array<[string, string]>;
			const found = texts.flatMap(([where, text]) => apiWords(text).map((word) => `${where}: ${word}`));
			expect(found).toEqual([]);
		});

		it('offers Simplify with the standard sentence', () => {
			for (const { property } of visited.filter(({ property }) => property.name === 'simplify')) {
				expect(property).toMatchObject({ displayName: 'Simplify', type: 'boolean', description: SIMPLIFY });
			}
		});

		it("describes each operation in n8n's words, adding to its name", () => {
			const operations = visited.filter(({ property, path }) => path.length === 1 && property.name === 'operation');
			for (const { property } of operations) {
				const resources = (property.displayOptions?.show?.resource ?? []) as string[];
				for (const option of staticOptions(property)) {
					expect(option.action).toBeTruthy();
					const text = option.description ?? '';
					expect(OPERATION_VERBS).toContain(text.split(' ')[0]);
					if (/^Get/.test(option.name)) expect(text.startsWith('Retrieve')).toBe(true);
					const known = new Set(
						`${option.name} ${option.action} ${resources.join(' ')} a an the of in from to for one many`.toLowerCase().split(/\W+/),
					);
					const added = text.toLowerCase().split(/\W+/).filter((word) => word !== '' && !known.has(word) && !known.has(word.replace(/s$/, '')));
					expect(added.length).toBeGreaterThanOrEqual(3);
				}
			}
		});

		it('keeps sorting out of Options on the default version', () => {
			const version = defaultVersionOf(description);
			const inOptions = visited.filter(
				({ property, path }) =>
					path.length === 2 && path[0] === 'options' && /^sort/i.test(property.name) && shownOnVersion(
						description.properties.find((top) => top.name === 'options' && top.options?.includes(property as never))!,
						version,
					),
			);
			expect(inOptions.map(({ path }) => path.join(' → '))).toEqual([]);
		});
	});

	if (!isTrigger) return;

	describe('trigger', () => {
		it('names its event parameter Trigger On, without a tooltip', () => {
			const events = description.properties.filter((property) => property.name === 'event' || property.name === 'events');
			expect(events.length).toBeGreaterThan(0);
			for (const property of events) {
				expect(property.displayName).toBe('Trigger On');
				expect(property.description).toBeUndefined();
			}
		});

		it('says in the editor what a test needs and what activation means', () => {
			expect(description.activationMessage).toBeTruthy();
			const panel = description.triggerPanel;
			expect(typeof panel).toBe('object');
			const { executionsHelp, activationHint } = panel as Exclude<typeof panel, boolean | undefined>;
			for (const text of [executionsHelp, activationHint]) expect(text).toMatchObject({ active: expect.any(String), inactive: expect.any(String) });
			if (description.webhooks?.length) {
				// A webhook trigger's test needs its Test URL in Perspective; one lead shows the shape.
				expect(description.eventTriggerDescription).toMatch(/Test URL/);
				expect(description.activationMessage).toMatch(/Production URL/);
				const help = executionsHelp as { inactive: string };
				const hint = activationHint as { inactive: string };
				expect(help.inactive).toMatch(/Execute step[\s\S]*Test URL[\s\S]*Perspective[\s\S]*One lead is enough[\s\S]*Production URL/);
				expect(hint.inactive).toMatch(/Test URL[\s\S]*Perspective[\s\S]*one is enough/);
			}
		});
	});
});

describe.each(credentials.map((credential) => [credential.instance.displayName, credential] as const))('%s credential', (_, { instance }) => {
	const visited = walk(instance.properties);

	it('links its documentation', () => {
		expect(instance.documentationUrl).toMatch(/^https:\/\//);
	});

	it('keeps every secret in a password field', () => {
		const secrets = visited.filter(({ property }) => /key|token|password|secret/i.test(property.name));
		for (const { property } of secrets) expect(property.typeOptions?.password).toBe(true);
	});

	it('follows the copy rules of the nodes', () => {
		expect(visited.flatMap(placeholders).filter(([, placeholder]) => !placeholder.startsWith('e.g. '))).toEqual([]);
		expect(visited.filter(({ property }) => property.type === 'boolean' && !(property.description ?? '').startsWith('Whether'))).toEqual([]);
		expect(visited.flatMap(displayTexts).flatMap(([where, text]) => apiWords(text).map((word) => `${where}: ${word}`))).toEqual([]);
	});
});

describe('package.json (the unpublished rule no-monorepo)', () => {
	it('the package a reviewer verifies sits at the root of its repository: no repository.directory', () => {
		expect(packages[0].json.repository?.directory).toBeUndefined();
	});
});

/* ------------------------------------------------------------------------------------------ */
/* Errors: read from the source, so that a new throw without a description fails here.        */

/** The .ts files the packages are built from: nodes and credentials of both. */
function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) return entry === 'node_modules' || entry === 'dist' ? [] : sourceFiles(path);
		return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
	});
}

const SOURCE_DIRS = ['nodes', 'credentials', 'redis/nodes', 'redis/credentials'].map((dir) => join(ROOT, dir));

/**
 * Helpers that build a NodeOperationError from a message and a description (their own `new`
 * is checked like any other): the positions of those two arguments, so that their words are
 * read at each call.
 */
const REFUSAL_HELPERS: Record<string, [message: number, description: number]> = {
	parameterRefusal: [1, 2],
	refuseMetricOption: [2, 3],
};

interface ThrowSite {
	where: string;
	kind: string;
	hasDescription: boolean;
	texts: string[];
}

/** The literal words of an expression: strings, the fixed parts of templates, constants of the file. */
function literalText(node: ts.Expression | undefined, file: ts.SourceFile): string[] {
	if (node === undefined) return [];
	if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
	if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
	if (ts.isParenthesizedExpression(node)) return literalText(node.expression, file);
	if (ts.isConditionalExpression(node)) return [...literalText(node.whenTrue, file), ...literalText(node.whenFalse, file)];
	if (ts.isBinaryExpression(node)) return [...literalText(node.left, file), ...literalText(node.right, file)];
	if (ts.isIdentifier(node)) {
		let found: ts.Expression | undefined;
		const visit = (child: ts.Node) => {
			if (ts.isVariableDeclaration(child) && ts.isIdentifier(child.name) && child.name.text === node.text) found = child.initializer;
			ts.forEachChild(child, visit);
		};
		visit(file);
		return found ? literalText(found, file) : [];
	}
	return [];
}

function throwSites(): ThrowSite[] {
	const sites: ThrowSite[] = [];
	for (const path of SOURCE_DIRS.flatMap(sourceFiles)) {
		const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
		const visit = (node: ts.Node) => {
			const where = `${relative(ROOT, path)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
			if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /^Node(Operation|Api)Error$/.test(node.expression.text)) {
				const options = node.arguments?.[2];
				const described =
					options !== undefined &&
					ts.isObjectLiteralExpression(options) &&
					options.properties.some((property) => property.name !== undefined && ts.isIdentifier(property.name) && property.name.text === 'description');
				const description = described
					? (options as ts.ObjectLiteralExpression).properties.find((property) => property.name?.getText() === 'description')
					: undefined;
				const descriptionValue = description && ts.isPropertyAssignment(description) ? description.initializer : undefined;
				const message = options && ts.isObjectLiteralExpression(options)
					? options.properties.find((property) => property.name?.getText() === 'message')
					: undefined;
				sites.push({
					where,
					kind: node.expression.text,
					hasDescription: described,
					texts: [
						...(node.expression.text === 'NodeOperationError' ? literalText(node.arguments?.[1], file) : []),
						...(message && ts.isPropertyAssignment(message) ? literalText(message.initializer, file) : []),
						...literalText(descriptionValue, file),
					],
				});
			}
			if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && REFUSAL_HELPERS[node.expression.text]) {
				const [message, description] = REFUSAL_HELPERS[node.expression.text];
				sites.push({
					where,
					kind: node.expression.text,
					hasDescription: node.arguments[description] !== undefined,
					texts: [...literalText(node.arguments[message], file), ...literalText(node.arguments[description], file)],
				});
			}
			ts.forEachChild(node, visit);
		};
		visit(file);
	}
	return sites;
}

describe('errors in the source', () => {
	const sites = throwSites();

	it('finds the throw sites of both packages', () => {
		expect(sites.filter((site) => site.kind === 'NodeApiError').length).toBeGreaterThan(0);
		expect(sites.filter((site) => site.kind === 'NodeOperationError').length).toBeGreaterThan(0);
		expect(sites.filter((site) => site.kind in REFUSAL_HELPERS).length).toBeGreaterThan(10);
		expect(new Set(sites.map((site) => dirname(site.where.split(':')[0])))).toContain('nodes/PerspectiveFunnel/actions');
	});

	it('builds every NodeOperationError and NodeApiError with a description: how to fix it', () => {
		expect(sites.filter((site) => !site.hasDescription).map((site) => `${site.where} ${site.kind}`)).toEqual([]);
	});

	it('says neither "error", "problem", "failure" nor "mistake" in a message or a description', () => {
		const words = sites.flatMap((site) =>
			site.texts.flatMap((text) => (text.match(/\b(errors?|problems?|failures?|mistakes?)\b/gi) ?? []).map((word) => `${site.where}: ${word}`)),
		);
		expect(words).toEqual([]);
	});
});
