import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { fetchWorkspaces } from '../../transport/perspectiveApiRequest';
import { returnAllAndLimit } from '../common.description';

export const description = updateDisplayOptions({ show: { resource: ['workspace'], operation: ['getAll'] } }, returnAllAndLimit);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	// The API answers every workspace at once; the limit is applied here.
	const workspaces = await fetchWorkspaces(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const kept = returnAll ? workspaces : workspaces.slice(0, this.getNodeParameter('limit', itemIndex) as number);
	return kept.map((workspace) => ({ json: workspace as IDataObject }));
}
