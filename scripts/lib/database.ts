/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * Reads what n8n stored in its SQLite database: executions with each node's items, and a
 * workflow's static data. Uses the sqlite3 and flatted modules of the n8n 1.x install.
 */
import { join } from 'path';

import { TRIGGER_NODE_NAME } from './workflows';

interface Sqlite3Module {
	OPEN_READONLY: number;
	Database: new (file: string, mode: number, callback: (error: Error | null) => void) => SqliteDatabase;
}
interface SqliteDatabase {
	all(sql: string, params: unknown[], callback: (error: Error | null, rows: Record<string, unknown>[]) => void): void;
	close(callback?: () => void): void;
}

export interface StoredExecution {
	id: number;
	status: string;
	mode: string;
	/** The output items (json only) of the node asked for, the webhook trigger by default. */
	items: Array<Record<string, unknown>>;
	/** The node n8n ran last, and the error that ended the run, if one did. */
	lastNode?: string;
	error?: { node?: string; message: string };
}

export class N8nDatabase {
	private readonly sqlite: Sqlite3Module;
	private readonly flatted: { parse(text: string): unknown };

	constructor(
		private readonly file: string,
		toolsModules: string,
	) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		this.sqlite = require(join(toolsModules, 'sqlite3')) as Sqlite3Module;
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		this.flatted = require(join(toolsModules, 'flatted'));
	}

	static forUserFolder(userFolder: string, toolsModules: string): N8nDatabase {
		return new N8nDatabase(join(userFolder, '.n8n', 'database.sqlite'), toolsModules);
	}

	async query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
		return await new Promise((resolve, reject) => {
			const db = new this.sqlite.Database(this.file, this.sqlite.OPEN_READONLY, (openError) => {
				if (openError) return reject(openError);
				db.all(sql, params, (error, rows) => {
					db.close();
					if (error) reject(error);
					else resolve(rows);
				});
			});
		});
	}

	async executions(workflowId: string, nodeName = TRIGGER_NODE_NAME): Promise<StoredExecution[]> {
		const rows = await this.query(
			`SELECT e.id, e.status, e.mode, d.data FROM execution_entity e
			 LEFT JOIN execution_data d ON d.executionId = e.id
			 WHERE e.workflowId = ? ORDER BY e.id`,
			[workflowId],
		);
		return rows.map((row) => {
			let items: Array<Record<string, unknown>> = [];
			let lastNode: string | undefined;
			let error: StoredExecution['error'];
			// a run that has only just started may have no data yet
			if (typeof row.data === 'string' && row.data !== '') {
				const data = this.flatted.parse(row.data) as undefined | {
					resultData?: {
						runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>>;
						lastNodeExecuted?: string;
						error?: { message?: string; node?: { name?: string } };
					};
				};
				const run = data?.resultData?.runData?.[nodeName]?.[0];
				items = (run?.data?.main?.[0] ?? []).map((item) => item.json);
				lastNode = data?.resultData?.lastNodeExecuted;
				const failure = data?.resultData?.error;
				if (failure) error = { node: failure.node?.name, message: String(failure.message ?? '') };
			}
			return { id: Number(row.id), status: String(row.status), mode: String(row.mode), items, lastNode, error };
		});
	}

	/** Whether someone has set up the owner account (n8n keeps a password-less owner until then). */
	async ownerAccountExists(): Promise<boolean> {
		const rows = await this.query('SELECT COUNT(*) AS owners FROM user WHERE password IS NOT NULL');
		return Number(rows[0]?.owners) > 0;
	}

	async staticData(workflowId: string): Promise<Record<string, unknown>> {
		const rows = await this.query('SELECT staticData FROM workflow_entity WHERE id = ?', [workflowId]);
		const raw = rows[0]?.staticData;
		return typeof raw === 'string' && raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
	}
}
