import { metricOperation } from './report';

export const { description, execute } = metricOperation({
	operation: 'insight',
	path: 'insights',
	which: { displayName: 'Insight ID', name: 'insightId', description: 'The ID of the insight' },
});
