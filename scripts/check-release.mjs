// `npm run release:check` (run by `npm run release` and by the publish workflow): refuses to
// publish while the fields a maintainer fills in once still hold placeholders, while a codex
// file or a README links to the placeholder repository, while the Redis package names another
// repository than the main one, or while CHANGELOG.md has no entry for the version.
// (.npmrc's ignore-scripts also skips npm's prepublish hooks, so nothing else would stop it.)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
// the Redis package (redis/) is released from the same tag, at the same version
const redisPkg = JSON.parse(readFileSync(join('redis', 'package.json'), 'utf8'));
const placeholder = /OWNER|\.invalid\b|example\.com|<\.\.\.>/;
const problems = [];

for (const [file, manifest] of [['package.json', pkg], ['redis/package.json', redisPkg]]) {
	const fields = {
		homepage: manifest.homepage,
		'repository.url': manifest.repository?.url,
		'bugs.url': manifest.bugs?.url,
		'author.name': manifest.author?.name,
		'author.email': manifest.author?.email,
	};
	for (const [field, value] of Object.entries(fields)) {
		if (!value) problems.push(`${file} ${field} is empty`);
		else if (placeholder.test(value)) problems.push(`${file} ${field} is still a placeholder: ${value}`);
	}
}
// Both packages live in one repository: redis/package.json names it with `directory: redis`,
// and redis/README.md (the Redis package's npm page) links into it by absolute GitHub URLs.
if (redisPkg.repository?.url !== pkg.repository?.url) {
	problems.push(`redis/package.json repository.url ${redisPkg.repository?.url} is not package.json's ${pkg.repository?.url}`);
}
const repository = /github\.com\/([^/]+\/[^/.]+)/.exec(pkg.repository?.url ?? '')?.[1];
for (const readme of ['README.md', join('redis', 'README.md')]) {
	const text = readFileSync(readme, 'utf8');
	// only OWNER: the READMEs' examples use example.com on purpose
	if (/\bOWNER\b/.test(text)) problems.push(`${readme} still links to a placeholder (OWNER)`);
	const elsewhere = new Set([...text.matchAll(/https:\/\/github\.com\/([^/\s)#]+\/n8n-nodes-perspective-funnel)\b/g)].map((match) => match[1]));
	elsewhere.delete(repository);
	for (const target of elsewhere) problems.push(`${readme} links to github.com/${target}, not to package.json's repository (${repository})`);
}
if (redisPkg.version !== pkg.version) {
	problems.push(`redis/package.json's version ${redisPkg.version} is not package.json's ${pkg.version}`);
}

// the documentation links n8n shows: codex files and the credentials' documentationUrl
const linkFiles = [
	...readdirSync(join('nodes', 'PerspectiveFunnel'))
		.filter((name) => name.endsWith('.node.json'))
		.map((name) => join('nodes', 'PerspectiveFunnel', name)),
	join('redis', 'nodes', 'PerspectiveFunnelRedisTrigger', 'PerspectiveFunnelRedisTrigger.node.json'),
	...['credentials', join('redis', 'credentials')].flatMap((folder) =>
		readdirSync(folder)
			.filter((name) => name.endsWith('.credentials.ts'))
			.map((name) => join(folder, name)),
	),
];
for (const file of linkFiles) {
	if (placeholder.test(readFileSync(file, 'utf8'))) problems.push(`${file} still links to a placeholder (OWNER)`);
}

const changelog = readFileSync('CHANGELOG.md', 'utf8');
const escaped = pkg.version.replace(/\./g, '\\.');
if (!new RegExp(`^## \\[${escaped}\\] - \\d{4}-\\d{2}-\\d{2}`, 'm').test(changelog)) {
	problems.push(`CHANGELOG.md has no dated entry "## [${pkg.version}] - YYYY-MM-DD" (move Unreleased there)`);
}

// In the publish workflow the pushed tag must be the version being published.
const tag = process.env.GITHUB_REF_TYPE === 'tag' ? process.env.GITHUB_REF_NAME : undefined;
if (tag !== undefined && tag.replace(/^v/, '') !== pkg.version) {
	problems.push(`the tag ${tag} is not package.json's version ${pkg.version}`);
}

if (problems.length > 0) {
	console.error(`Not ready to publish ${pkg.name}@${pkg.version}:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log(`${pkg.name}@${pkg.version} is ready to publish.`);
