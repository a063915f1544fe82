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
		{ name: 'Get Chart', value: 'chart', description: "Retrieve the data points of one of the funnel's charts for a period", action: 'Get chart' },
		{ name: 'Get Insight', value: 'insight', description: 'Retrieve how visitors answered one question of the funnel during a period', action: 'Get insight' },
		{ name: 'Get KPI', value: 'kpi', description: 'Retrieve one key figure of the funnel for a period, such as its conversion rate', action: 'Get KPI' },
	],
	default: 'kpi',
};

/** The fields of each operation, shown only for it. */
export const properties: INodeProperties[] = [
	...kpi.description,
	...chart.description,
	...insight.description,
];
