import { metricOperation } from './report';

export const { description, execute } = metricOperation({
	operation: 'insight',
	path: 'insights',
	which: {
		displayName: 'Insight ID',
		name: 'insightId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. question_1234',
		description:
			'The ID of a question or survey element as the funnel builder shows it; the API offers no list of them',
	},
});
