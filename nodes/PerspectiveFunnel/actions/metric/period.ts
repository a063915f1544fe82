import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { OFFSET_MINUTES } from '../../api/contract';

/** From and To, which every metric call takes. */
export const periodProperties: INodeProperties[] = [
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Start of the period; must be before To',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'End of the period',
	},
];

/** The time zone offset option every metric call takes. */
export const offsetOption: INodeProperties = {
	displayName: 'Time Zone Offset (Minutes)',
	name: 'offset',
	type: 'number',
	typeOptions: { minValue: OFFSET_MINUTES.min, maxValue: OFFSET_MINUTES.max, numberPrecision: 0 },
	default: 0,
	description:
		'Minutes east of UTC in which days and hours are counted: 120 for UTC+2 (e.g. Berlin in summer), -300 for UTC-5 (e.g. New York in winter). Not sent when this option is not added.',
};

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

/**
 * The query of a metric call: `from` and `to` as ISO 8601 in UTC, `from` strictly before `to`
 * (the API refuses anything else), and `offset` in whole minutes when the option was added.
 */
export function periodQuery(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const from = isoOf(context, 'from', itemIndex);
	const to = isoOf(context, 'to', itemIndex);
	if (Date.parse(from) >= Date.parse(to)) {
		throw new NodeOperationError(context.getNode(), 'From: must be before To', { itemIndex });
	}
	const options = context.getNodeParameter('options', itemIndex, {}) as { offset?: unknown };
	if (options.offset === undefined || options.offset === '') return { from, to };
	const offset = Number(options.offset);
	if (!Number.isInteger(offset) || offset < OFFSET_MINUTES.min || offset > OFFSET_MINUTES.max) {
		throw new NodeOperationError(
			context.getNode(),
			`Time Zone Offset (Minutes): expected whole minutes east of UTC from ${OFFSET_MINUTES.min} to ${OFFSET_MINUTES.max}, such as 120 for UTC+2; got "${String(options.offset).slice(0, 40)}"`,
			{ itemIndex },
		);
	}
	return { from, to, offset };
}
