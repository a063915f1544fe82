import type { INodeProperties } from 'n8n-workflow';

import * as chart from './chart.operation';
import * as insight from './insight.operation';
import * as kpi from './kpi.operation';

export { chart, insight, kpi };

export const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['metric'] } },
	options: [
		{ name: 'Get Chart', value: 'chart', description: 'Get the series of a chart for a period', action: 'Get chart' },
		{ name: 'Get Insight', value: 'insight', description: 'Get the answers to one question of the funnel for a period', action: 'Get insight' },
		{ name: 'Get KPI', value: 'kpi', description: 'Get a KPI for a period', action: 'Get KPI' },
	],
	default: 'kpi',
};

/** The fields of each operation, shown only for it. */
export const properties: INodeProperties[] = [
	...kpi.description,
	...chart.description,
	...insight.description,
];
