import { metricOperation } from './report';

export const { description, execute } = metricOperation({
	operation: 'chart',
	path: 'charts',
	which: {
		displayName: 'Chart',
		name: 'subtype',
		placeholder: 'e.g. visits',
		description: 'Which chart to read, as the Perspective API names it',
	},
});
