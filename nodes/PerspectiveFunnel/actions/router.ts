import { NodeApiError, NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as contact from './contact';
import * as metric from './metric';
import * as workspace from './workspace';

/** The description of a failure no check foresaw. */
const UNEXPECTED =
	"This was not expected. Run the node again; if it happens again, report the message at the package's issue tracker.";

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, Operation>> = {
	contact: {
		create: contact.create.execute,
		get: contact.get.execute,
		getAll: contact.getAll.execute,
		updateField: contact.updateField.execute,
	},
	metric: { chart: metric.chart.execute, insight: metric.insight.execute, kpi: metric.kpi.execute },
	workspace: { getAll: workspace.getAll.execute },
};

/**
 * Runs the chosen operation once per input item. Every output item is paired with the input
 * it came from; with Continue On Fail an item's error becomes an output item and the rest go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const name = this.getNodeParameter('operation', itemIndex) as string;
		const operation = operations[resource]?.[name];
		try {
			if (!operation) {
				throw new NodeOperationError(this.getNode(), `The operation "${name}" of "${resource}" is not known`, {
					itemIndex,
					description: 'Choose the resource and the operation again; the node may have been saved by a newer version of this package',
				});
			}
			const results = await operation.call(this, itemIndex);
			for (const result of results) output.push({ ...result, pairedItem: { item: itemIndex } });
		} catch (error) {
			const failure =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error, { itemIndex, description: UNEXPECTED });
			if (!this.continueOnFail()) throw failure;
			output.push({
				json: {
					error: failure.message,
					...(failure.description ? { description: failure.description } : {}),
					...(failure instanceof NodeApiError && failure.httpCode ? { httpCode: failure.httpCode } : {}),
				},
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}
