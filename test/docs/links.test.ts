/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * The documentation links n8n shows (codex resources, credential documentation URLs) and the
 * links between README.md, redis/README.md, docs/ and examples/ lead somewhere: every `#anchor`
 * names a heading as GitHub renders it, every linked docs/, examples/ or redis/ file exists.
 * redis/README.md is the Redis package's npm page, so it links to this repository by absolute
 * GitHub URLs; those are checked against the files here.
 */
import { existsSync, readFileSync, readdirSync } from 'fs';
import { dirname, join, normalize, resolve } from 'path';

const ROOT = resolve(__dirname, '..', '..');
/** The package's GitHub page; its owner is filled in once, at release (OWNER until then). */
const REPOSITORY = /^https:\/\/github\.com\/[A-Za-z0-9-]+\/n8n-nodes-perspective-funnel$/;
/** An absolute link into the repository: the README (no path) or a file on main, and an anchor. */
const REPOSITORY_LINK = /^https:\/\/github\.com\/[A-Za-z0-9-]+\/n8n-nodes-perspective-funnel(?:\/blob\/main\/([^#]+))?(#.*)?$/;

/** GitHub's heading anchors (github-slugger): lower case, punctuation dropped, spaces → '-', repeats numbered. */
function githubAnchors(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (/^\s*```/.test(line)) fenced = !fenced;
		const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const slug = heading[1]
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
			.replace(/ /g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count === 0 ? slug : `${slug}-${count}`);
	}
	return anchors;
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Markdown links `[text](target)` outside code fences. */
function links(markdown: string): string[] {
	const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
	return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
}

describe('githubAnchors', () => {
	it.each([
		['## Perspective Funnel Trigger', 'perspective-funnel-trigger'],
		["### The editor's test URL", 'the-editors-test-url'],
		['### Exactly once, and where it ends', 'exactly-once-and-where-it-ends'],
		['## What a request may carry', 'what-a-request-may-carry'],
		["### 1. Perspective's webhook body", '1-perspectives-webhook-body'],
	])('%s → #%s', (heading, anchor) => {
		expect([...githubAnchors(heading)]).toEqual([anchor]);
	});

	it('numbers repeated headings and ignores code blocks', () => {
		expect([...githubAnchors('## Usage\n```sh\n# not a heading\n```\n## Usage')]).toEqual(['usage', 'usage-1']);
	});
});

describe('documentation links', () => {
	const readmeAnchors = githubAnchors(read('README.md'));

	const codexFiles = readdirSync(join(ROOT, 'nodes/PerspectiveFunnel')).filter((name) => name.endsWith('.node.json'));
	const codexPaths = [
		...codexFiles.map((file) => `nodes/PerspectiveFunnel/${file}`),
		'redis/nodes/PerspectiveFunnelRedisTrigger/PerspectiveFunnelRedisTrigger.node.json',
	];
	const codexUrls = codexPaths.flatMap((file) => {
		const codex = JSON.parse(read(file)) as { resources: Record<string, Array<{ url: string }>> };
		return Object.values(codex.resources).flatMap((entries) => entries.map((entry) => [file, entry.url] as const));
	});
	const credentialUrls = ['credentials', 'redis/credentials'].flatMap((folder) =>
		readdirSync(join(ROOT, folder))
			.filter((name) => name.endsWith('.credentials.ts'))
			.map((file) => [file, /documentationUrl = '([^']+)'/.exec(read(`${folder}/${file}`))?.[1] ?? ''] as const),
	);

	it('every node has a codex file with its primary documentation', () => {
		expect(codexFiles.sort()).toEqual(['PerspectiveFunnel.node.json', 'PerspectiveFunnelPollTrigger.node.json', 'PerspectiveFunnelTrigger.node.json']);
		for (const file of codexFiles) {
			expect(read(`nodes/PerspectiveFunnel/${file}`)).toContain('"primaryDocumentation"');
		}
	});

	it.each([...codexUrls, ...credentialUrls])('%s links to a README section: %s', (_file, url) => {
		const [page, anchor] = url.split('#');
		expect(page).toMatch(REPOSITORY);
		expect(readmeAnchors).toContain(anchor);
	});

	it('all point at the same repository', () => {
		expect(new Set([...codexUrls, ...credentialUrls].map(([, url]) => url.split('#')[0])).size).toBe(1);
	});

	const documents = ['README.md', 'redis/README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

	it.each(documents)('the links of %s lead to existing sections and files', (document) => {
		const broken: string[] = [];
		for (const target of links(read(document))) {
			const repository = REPOSITORY_LINK.exec(target);
			if (!repository && /^[a-z]+:/.test(target)) continue;
			const [path, anchor] = repository ? `${repository[1] ?? 'README.md'}${repository[2] ?? ''}`.split('#') : target.split('#');
			const base = repository ? '' : dirname(document);
			const file = path ? normalize(join(base, path)) : document;
			// README, docs/, examples/ and redis/ are this check's scope (CHANGELOG.md is the release tooling's)
			if (!/^(docs|examples|redis)\//.test(file) && file !== 'README.md') continue;
			if (!existsSync(join(ROOT, file))) broken.push(target);
			else if (anchor && file.endsWith('.md') && !githubAnchors(read(file)).has(anchor)) broken.push(target);
		}
		expect(broken).toEqual([]);
	});
});
