import { AB_TEST_CHART, AB_TEST_VALUES, CHART_SUBTYPES } from '../../api/contract';
import { metricOperation, refuseMetricOption } from './report';

const NAMES: Record<(typeof CHART_SUBTYPES)[number], string> = {
	chart_page_to_page_conversion_rate: 'Page-to-Page Conversion Rate',
	chart_activity_by_daytime: 'Activity by Daytime',
	chart_contacts_over_time: 'Contacts Over Time',
	chart_visitor_devices: 'Visitor Devices',
	chart_top_utm_sources: 'Top UTM Sources',
	chart_time_on_page: 'Time on Page',
	chart_button_clicks: 'Button Clicks',
};

export const { description, execute } = metricOperation({
	operation: 'chart',
	path: 'charts',
	which: {
		displayName: 'Chart',
		name: 'subtype',
		type: 'options',
		required: true,
		default: 'chart_contacts_over_time',
		description: 'Which chart to read',
		options: CHART_SUBTYPES.map((value) => ({ name: NAMES[value], value })).sort((a, b) => a.name.localeCompare(b.name)),
	},
	options: [
		{
			displayName: 'A/B Test',
			name: 'abTest',
			type: 'options',
			default: 'all',
			description: 'Which version of an A/B tested funnel to count; the API takes it for the page-to-page chart only',
			displayOptions: { show: { '/subtype': [AB_TEST_CHART] } },
			options: [
				{ name: 'All', value: 'all' },
				{ name: 'Original', value: 'original' },
				{ name: 'Variant', value: 'variant' },
			],
		},
	],
	extraQuery(context, itemIndex, subtype, options) {
		if (options.abTest === undefined || options.abTest === '') return {};
		// The option is shown for the page-to-page chart only; an expression can still set it.
		if (subtype !== AB_TEST_CHART) {
			refuseMetricOption(
				context,
				itemIndex,
				`A/B Test applies only to the ${NAMES[AB_TEST_CHART]} chart, not to ${NAMES[subtype as keyof typeof NAMES] ?? subtype}`,
				`Remove the A/B Test option, or choose the ${NAMES[AB_TEST_CHART]} chart`,
			);
		}
		if (!(AB_TEST_VALUES as readonly unknown[]).includes(options.abTest)) {
			refuseMetricOption(
				context,
				itemIndex,
				'A/B Test is neither All, Original nor Variant',
				`Choose All, Original or Variant; an expression must give ${AB_TEST_VALUES.join(', ')}`,
			);
		}
		return { abTest: options.abTest };
	},
});
