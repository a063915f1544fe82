/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * `npm start`: builds and packs this package, starts a pinned n8n on 127.0.0.1 with the
 * package installed as Community Nodes installs it, imports an example workflow and
 * activates it, then prints the production URL and a command to try it.
 *
 *   N8N_LINE=2 npm start     n8n 2.x (Node 24 from the registry) instead of 1.x
 *   PORT=5679 npm start      another port (default 5678)
 */
import { existsSync } from 'fs';
import { join } from 'path';

import { N8nDatabase } from './lib/database';
import { N8nProcess, ROOT, ensureRuntime, installTarball, packPackage, prepareUserFolder, type N8nLine } from './lib/n8n';
import { DEMO_WORKFLOW as DEMO, demoPort, productionUrl, triggerWorkflow } from './lib/workflows';

function portFromEnvironment(): number {
	const raw = demoPort();
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 1 || port > 55_535) {
		// n8n's task broker listens on PORT + 10000, so the port must leave room for it
		throw new Error(`PORT must be a whole number from 1 to 55535, got "${raw}"`);
	}
	return port;
}

async function main() {
	const line = (process.env.N8N_LINE ?? '1') as N8nLine;
	if (line !== '1' && line !== '2') throw new Error(`N8N_LINE must be 1 or 2, got "${line}"`);
	const port = portFromEnvironment();
	const runtime = ensureRuntime(line);
	const tarball = packPackage();
	const userFolder = join(ROOT, '.e2e', `demo-n8n${line}`);
	const fresh = !existsSync(join(userFolder, '.n8n', 'database.sqlite'));
	if (fresh) prepareUserFolder(`demo-n8n${line}`, tarball);
	else installTarball(userFolder, tarball);

	const n8n = new N8nProcess({ runtime, userFolder, port, logFile: join(userFolder, 'n8n.log') });
	if (fresh) {
		console.log('Importing and activating the example workflow ...');
		n8n.importWorkflows([triggerWorkflow({ ...DEMO, name: 'Perspective funnel leads (example)' })]);
	}
	console.log(`Starting n8n ${runtime.version} on port ${port}; its output goes to ${n8n.logFile} ...`);
	await n8n.start();
	const url = productionUrl(n8n.baseUrl, DEMO.webhookId);
	await n8n.waitForWebhook(url);
	const hasOwner = await N8nDatabase.forUserFolder(userFolder, runtime.toolsModules).ownerAccountExists();
	const sample = JSON.stringify({
		type: 'response',
		contactId: 'c_demo',
		funnelName: 'Solar check',
		answers: [{ id: 'email', value: 'ada@example.com' }],
	});
	console.log(`
n8n ${runtime.version} is running with n8n-nodes-perspective-funnel installed.

  Editor:          ${n8n.baseUrl}${hasOwner ? '' : '  (first visit: create the owner account: any email, a password of 8+ characters with a number and a capital)'}
  Workflow:        "Perspective funnel leads (example)", active
  Production URL:  ${url}
  In Perspective:  ${url}?trigger=new_lead   and   ${url}?trigger=funnel_completed
  n8n's log:       ${n8n.logFile}  (written as n8n runs)

Try it, in another terminal:
  curl -s -X POST '${url}' -H 'content-type: application/json' -d '${sample}'
  npm run simulate                  (a whole funnel session against this URL: visitors abandon, convert, complete)

Executions appear under the workflow's Executions tab.
Press Ctrl-C to stop.`);

	const stop = async () => {
		console.log('\nStopping n8n ...');
		await n8n.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
