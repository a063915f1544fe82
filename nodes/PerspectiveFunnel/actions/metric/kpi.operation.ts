import { metricOperation } from './report';

export const { description, execute } = metricOperation({
	operation: 'kpi',
	path: 'kpis',
	which: {
		displayName: 'KPI',
		name: 'subtype',
		placeholder: 'e.g. visits',
		description: 'Which KPI to read, as the Perspective API names it',
	},
});
