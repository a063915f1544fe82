import { KPI_SUBTYPES } from '../../api/contract';
import { metricOperation } from './report';

const NAMES: Record<(typeof KPI_SUBTYPES)[number], string> = {
	kpi_conversion_rate: 'Conversion Rate (%)',
	kpi_completion_rate: 'Completion Rate (%)',
	kpi_average_time_on_page: 'Average Time on Page (Seconds)',
	kpi_time_to_completion: 'Time to Completion (Seconds)',
	kpi_new_contacts: 'New Contacts (Count)',
	kpi_total_sessions: 'Total Sessions (Count)',
	kpi_messages_sent: 'Messages Sent (Count)',
	kpi_messages_delivery_rate: 'Messages Delivery Rate (%)',
	kpi_messages_open_rate: 'Messages Open Rate (%)',
};

export const { description, execute } = metricOperation({
	operation: 'kpi',
	path: 'kpis',
	which: {
		displayName: 'KPI',
		name: 'subtype',
		type: 'options',
		required: true,
		default: 'kpi_conversion_rate',
		description: 'Which KPI to read. Rates are percentages, times are seconds, the others counts.',
		options: KPI_SUBTYPES.map((value) => ({ name: NAMES[value], value })).sort((a, b) => a.name.localeCompare(b.name)),
	},
});
