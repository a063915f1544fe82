/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * A real n8n on 127.0.0.1 with this package installed from its packed tarball, the way
 * Settings → Community Nodes installs it. Used by `npm start`, the end-to-end suite and the
 * end-to-end benchmark.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';

export const ROOT = resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-perspective-funnel';
/** The second package, built from `redis/`: the trigger with its contacts in Redis. */
export const REDIS_PACKAGE_NAME = 'n8n-nodes-perspective-funnel-redis';

export type N8nLine = '1' | '2';

export interface Runtime {
	line: N8nLine;
	version: string;
	nodeBin: string;
	n8nBin: string;
	/** node_modules of the n8n 1.x install, whose sqlite3 is built for this machine's Node. */
	toolsModules: string;
}

function runtimeEnv(line: N8nLine): Record<string, string> {
	const out = execFileSync('bash', [join(ROOT, 'scripts/n8n-runtime.sh'), 'env', line], { encoding: 'utf8' });
	return Object.fromEntries(
		out
			.trim()
			.split('\n')
			.map((row) => row.split(/=(.*)/s).slice(0, 2) as [string, string]),
	);
}

/** Installs (or reuses) the pinned n8n of a line; the 1.x line too, for its sqlite3 module. */
export function ensureRuntime(line: N8nLine): Runtime {
	for (const needed of new Set<N8nLine>(['1', line])) {
		execFileSync('bash', [join(ROOT, 'scripts/n8n-runtime.sh'), 'install', needed], { stdio: 'inherit' });
	}
	const env = runtimeEnv(line);
	const tools = runtimeEnv('1');
	return {
		line,
		version: env.N8N_VERSION,
		nodeBin: env.NODE_BIN,
		n8nBin: env.N8N_BIN,
		toolsModules: resolve(tools.N8N_BIN, '..', '..', '..'),
	};
}

/** Builds and packs the package; returns the tarball's path. */
export function packPackage(): string {
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
	return pack(ROOT);
}

/** Builds and packs the Redis package (`redis/`); returns the tarball's path. */
export function packRedisPackage(): string {
	execFileSync('npm', ['run', 'build:redis', '--silent'], { cwd: ROOT, stdio: 'inherit' });
	return pack(join(ROOT, 'redis'));
}

/** `npm pack` of the package in `dir` into `.e2e/`; the tarball's path. */
function pack(dir: string): string {
	const out = join(ROOT, '.e2e');
	mkdirSync(out, { recursive: true });
	const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], {
		cwd: dir,
		encoding: 'utf8',
	})
		.trim()
		.split('\n')
		.pop()!;
	return join(out, name);
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` as n8n's community package service
 * does: unpacked into node_modules, its dev, peer and optional dependencies removed, `npm
 * install` run inside it, and the package recorded in the folder's package.json (beside the
 * packages installed there before, as a second install from Settings → Community Nodes does).
 */
export function installTarball(userFolder: string, tarball: string): void {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const unpacked = join(nodesDir, '.unpacked');
	rmSync(unpacked, { recursive: true, force: true });
	mkdirSync(unpacked, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
	const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as Record<string, unknown>;
	const name = String(manifest.name);
	const packageDir = join(nodesDir, 'node_modules', name);
	rmSync(packageDir, { recursive: true, force: true });
	mkdirSync(dirname(packageDir), { recursive: true });
	renameSync(unpacked, packageDir);
	for (const key of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[key];
	writeFileSync(join(packageDir, 'package.json'), JSON.stringify(manifest, null, 2));
	execFileSync('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock'], {
		cwd: packageDir,
		stdio: 'ignore',
	});
	const listPath = join(nodesDir, 'package.json');
	const list = existsSync(listPath)
		? (JSON.parse(readFileSync(listPath, 'utf8')) as { dependencies?: Record<string, string> })
		: {};
	writeFileSync(
		listPath,
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { ...list.dependencies, [name]: manifest.version } },
			null,
			2,
		),
	);
}

/** n8n's process kinds: the main process, a queue-mode worker, a queue-mode webhook process. */
export type N8nCommand = 'start' | 'worker' | 'webhook';

const READY: Record<N8nCommand, RegExp> = {
	start: /Editor is now accessible/,
	worker: /n8n worker is now ready/,
	webhook: /Webhook listener waiting for requests/,
};

export interface StartOptions {
	runtime: Runtime;
	/** Default `start`. */
	command?: N8nCommand;
	userFolder: string;
	port: number;
	/** Extra environment for n8n. */
	env?: Record<string, string>;
	/** Where n8n's output goes; by default into `<userFolder>/n8n.log`. */
	logFile?: string;
}

const ENCRYPTION_KEY = 'perspective-funnel-e2e-not-a-secret';

export class N8nProcess {
	private child: ChildProcess | null = null;
	private output = '';

	constructor(readonly options: StartOptions) {}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.options.port}`;
	}

	/** The n8n process's ID while it runs (the bench reads its CPU time). */
	get pid(): number | undefined {
		return this.child?.pid;
	}

	get logFile(): string {
		return this.options.logFile ?? join(this.options.userFolder, 'n8n.log');
	}

	env(): NodeJS.ProcessEnv {
		const { runtime, userFolder, port } = this.options;
		return {
			PATH: process.env.PATH,
			HOME: userFolder,
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			// the task broker's own port, so that several instances can run side by side
			N8N_RUNNERS_BROKER_PORT: String(port + 10_000),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_PUBLIC_API_DISABLED: 'true',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			// Nothing that would reach out of this machine: no catalogues, banners or AI services.
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			N8N_LOG_LEVEL: 'info',
			NODE_ENV: 'production',
			DB_TYPE: 'sqlite',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			...(runtime.line === '1'
				? { N8N_EXPRESSION_ENGINE: 'legacy' }
				: { N8N_DISABLED_MODULES: 'mcp-registry,agents,instance-ai' }),
			...this.options.env,
		};
	}

	/** Runs an n8n CLI command (import, activate) while the server is stopped. */
	cli(args: string[]): string {
		const { runtime } = this.options;
		try {
			return execFileSync(runtime.nodeBin, [runtime.n8nBin, ...args], {
				env: this.env(),
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'pipe'],
				timeout: 180_000,
			});
		} catch (error) {
			// execFileSync's own message names only the command; the reason is in n8n's output
			const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
			const tail = `${stdout}${stderr}`.trim().split('\n').slice(-20).join('\n');
			throw new Error(`n8n ${args[0]} failed; the end of n8n's output:\n${tail}`);
		}
	}

	/** Imports workflows (and credentials) and makes them active. */
	importWorkflows(workflows: Array<{ id: string }>, credentials: object[] = []): void {
		const dir = join(this.options.userFolder, 'import');
		mkdirSync(dir, { recursive: true });
		if (credentials.length > 0) {
			writeFileSync(join(dir, 'credentials.json'), JSON.stringify(credentials));
			this.cli(['import:credentials', `--input=${join(dir, 'credentials.json')}`]);
		}
		writeFileSync(join(dir, 'workflows.json'), JSON.stringify(workflows));
		this.cli(['import:workflow', `--input=${join(dir, 'workflows.json')}`]);
		for (const workflow of workflows) {
			if (this.options.runtime.line === '1') {
				this.cli(['update:workflow', `--id=${workflow.id}`, '--active=true']);
			} else {
				this.cli(['publish:workflow', `--id=${workflow.id}`]);
			}
		}
	}

	/** Starts the process and resolves once it says it is ready (webhooks may register later). */
	async start(timeoutMs = 180_000): Promise<void> {
		const { runtime } = this.options;
		this.output = '';
		const command = this.options.command ?? 'start';
		const child = spawn(runtime.nodeBin, [runtime.n8nBin, command], {
			env: this.env(),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.child = child;
		// n8n's output goes to the log file as it comes (so that it can be read while n8n runs),
		// through a stream: a synchronous write per chunk would slow the reading of n8n's pipe,
		// and n8n blocks on a full pipe.
		mkdirSync(dirname(this.logFile), { recursive: true });
		const log = createWriteStream(this.logFile, { flags: 'a' });
		log.write(`--- n8n ${command} started at ${new Date().toISOString()} ---\n`);
		child.once('exit', () => log.end(`\n--- n8n stopped at ${new Date().toISOString()} ---\n`));
		const collect = (chunk: Buffer) => {
			this.output += chunk.toString();
			log.write(chunk);
		};
		child.stdout!.on('data', collect);
		child.stderr!.on('data', collect);
		const started = Date.now();
		try {
			while (!READY[command].test(this.output)) {
				if (child.exitCode !== null) throw new Error(`n8n exited with code ${child.exitCode}`);
				if (Date.now() - started > timeoutMs) throw new Error('n8n did not start in time');
				await new Promise((done) => setTimeout(done, 250));
			}
		} catch (error) {
			child.kill('SIGKILL');
			throw new Error(`${(error as Error).message}; its output is in ${this.logFile}:\n${this.output.slice(-3000)}`);
		}
	}

	/**
	 * Waits until n8n serves a production webhook: n8n 2.x says "Editor is now accessible"
	 * before it has registered them. The probe is an empty array, which the Perspective Funnel
	 * Trigger refuses (400) without touching its state, and a plain Webhook node just runs.
	 */
	async waitForWebhook(url: string, timeoutMs = 60_000): Promise<void> {
		const started = Date.now();
		const probe = async () =>
			(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })).status;
		while ((await probe()) === 404) {
			if (Date.now() - started > timeoutMs) throw new Error(`${url} was never registered`);
			await new Promise((done) => setTimeout(done, 250));
		}
	}

	/** Output so far. */
	get log(): string {
		return this.output;
	}

	async stop(): Promise<void> {
		const child = this.child;
		if (child && child.exitCode === null) {
			const exited = new Promise<void>((done) => child.once('exit', () => done()));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
			await exited;
			clearTimeout(timer);
		}
		this.child = null;
		// n8n copies its editor's assets (thousands of .js files) into <user folder>/.cache at
		// start; left in .e2e/, ESLint (n8n-node lint, whose strict config may not be changed to
		// ignore them) reads them all, and npm run lint took over ten minutes.
		rmSync(join(this.options.userFolder, '.cache'), { recursive: true, force: true });
	}
}

/**
 * Where user folders live: `.e2e/` in this repository, or, with `outside`, a folder of the
 * system's temporary directory. Node resolves a package's imports through every
 * node_modules above it before NODE_PATH, and this repository's node_modules holds the
 * devDependencies (zod, ioredis): only a user folder outside it shows that n8n itself
 * provides what the installed package imports.
 */
export function userFolderBase(outside = false): string {
	return outside ? join(tmpdir(), 'perspective-funnel-e2e') : join(ROOT, '.e2e');
}

/** A fresh user folder for one n8n instance, with the given tarballs installed. */
export function prepareUserFolder(name: string, tarballs: string | string[], base = userFolderBase()): string {
	const folder = join(base, name);
	rmSync(folder, { recursive: true, force: true });
	mkdirSync(folder, { recursive: true });
	for (const tarball of ([] as string[]).concat(tarballs)) installTarball(folder, tarball);
	return folder;
}

/** The newest tarball of a package (this one by default) in .e2e, if any. */
export function existingTarball(packageName = PACKAGE_NAME): string | undefined {
	const dir = join(ROOT, '.e2e');
	if (!existsSync(dir)) return undefined;
	// `<name>-<version>.tgz`: this package's name is the start of the Redis package's name
	const tarball = readdirSync(dir).find((file) => file.startsWith(`${packageName}-`) && /^\d/.test(file.slice(packageName.length + 1)) && file.endsWith('.tgz'));
	return tarball ? join(dir, tarball) : undefined;
}
