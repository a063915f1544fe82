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
		displayName: 'KPI',
		name: 'subtype',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. visits',
		description: 'Which KPI to read, as the Perspective API names it',
	},
	...periodProperties,
];

export const description = updateDisplayOptions({ show: { resource: ['metric'], operation: ['kpi'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	return await fetchMetric(this, itemIndex, 'kpis', { name: 'subtype', label: 'KPI' });
}
