import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

/** From, To and the time zone offset every metric call takes. */
export const periodProperties: INodeProperties[] = [
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Start of the period',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'End of the period',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Timezone Offset',
				name: 'timezoneOffset',
				type: 'string',
				default: '',
				placeholder: 'e.g. +02:00',
				description: 'The offset from UTC in which days are counted; passed to the API as given',
			},
		],
	},
];

function isoOf(context: IExecuteFunctions, name: 'from' | 'to', itemIndex: number): string {
	const raw = context.getNodeParameter(name, itemIndex, '') as unknown;
	const text = typeof raw === 'string' ? raw.trim() : String(raw ?? '');
	const at = text === '' ? NaN : Date.parse(text);
	if (Number.isNaN(at)) {
		const label = name === 'from' ? 'From' : 'To';
		throw new NodeOperationError(context.getNode(), `${label}: expected a date and time (ISO 8601)`, { itemIndex });
	}
	return new Date(at).toISOString();
}

/** The query of a metric call: `from`/`to` as ISO 8601 and the offset when given. */
export function periodQuery(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const from = isoOf(context, 'from', itemIndex);
	const to = isoOf(context, 'to', itemIndex);
	if (Date.parse(from) > Date.parse(to)) {
		throw new NodeOperationError(context.getNode(), 'From: must not be later than To', { itemIndex });
	}
	const { timezoneOffset } = context.getNodeParameter('options', itemIndex, {}) as { timezoneOffset?: string };
	return timezoneOffset?.trim() ? { from, to, timezoneOffset: timezoneOffset.trim() } : { from, to };
}
