/**
 * `npm start`: builds and packs this package, starts a pinned n8n on 127.0.0.1 with the
 * package installed as Community Nodes installs it, imports an example workflow and
 * activates it, then prints the production URL and a command to try it.
 *
 *   N8N_LINE=2 npm start     n8n 2.x (Node 24 from the registry) instead of 1.x
 *   PORT=5679 npm start      another port
 */
import { existsSync } from 'fs';
import { join } from 'path';

import { N8nProcess, ROOT, ensureRuntime, installTarball, packPackage, prepareUserFolder, type N8nLine } from './lib/n8n';
import { productionUrl, triggerWorkflow } from './lib/workflows';

const DEMO = { id: 'perspectiveDemo1', webhookId: 'perspective-demo' };

async function main() {
	const line = (process.env.N8N_LINE ?? '1') as N8nLine;
	const port = Number(process.env.PORT ?? 5678);
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
	console.log(`Starting n8n ${runtime.version} ...`);
	await n8n.start();
	const url = productionUrl(n8n.baseUrl, DEMO.webhookId);
	await n8n.waitForWebhook(url);
	const sample = JSON.stringify({
		type: 'response',
		contactId: 'c_demo',
		funnelName: 'Solar check',
		answers: [{ id: 'email', value: 'ada@example.com' }],
	});
	console.log(`
n8n ${runtime.version} is running with n8n-nodes-perspective-funnel installed.

  Editor:          ${n8n.baseUrl}  (first visit: create the owner account)
  Workflow:        "Perspective funnel leads (example)", active
  Production URL:  ${url}
  In Perspective:  ${url}?trigger=new_lead   and   ${url}?trigger=funnel_completed

Try it:
  curl -s -X POST '${url}' -H 'content-type: application/json' -d '${sample}'
  npm run simulate -- '${url}'      (a whole funnel session: visitors abandon, convert, complete)

Executions appear under the workflow's Executions tab. n8n's output: ${n8n.logFile}
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
