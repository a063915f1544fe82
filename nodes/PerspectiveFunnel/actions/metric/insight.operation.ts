import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { periodProperties } from './period';
import { fetchMetric } from './report';

const properties: INodeProperties[] = [
	{
		displayName: 'Insight ID',
		name: 'insightId',
		type: 'string',
		required: true,
		default: '',
		description: 'The ID of the insight',
	},
	...periodProperties,
];

export const description = updateDisplayOptions({ show: { resource: ['metric'], operation: ['insight'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	return await fetchMetric(this, itemIndex, 'insights', { name: 'insightId', label: 'Insight ID' });
}
