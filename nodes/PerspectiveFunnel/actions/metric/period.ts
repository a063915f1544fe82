import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { OFFSET_MINUTES } from '../../api/contract';
import { parameterRefusal } from '../funnelParameter';

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

/** The time zone offset option of version 1 nodes: whole minutes east of UTC, typed. */
export const offsetOption: INodeProperties = {
	displayName: 'Time Zone Offset (Minutes)',
	name: 'offset',
	type: 'number',
	typeOptions: { minValue: OFFSET_MINUTES.min, maxValue: OFFSET_MINUTES.max, numberPrecision: 0 },
	default: 0,
	description:
		'Minutes east of UTC in which days and hours are counted: 120 for UTC+2 (e.g. Berlin in summer), -300 for UTC-5 (e.g. New York in winter). Not sent when this option is not added.',
};

/** Every UTC offset in use on Earth, in minutes east of UTC (the API's unit). */
const UTC_OFFSETS = [
	-720, -660, -600, -570, -540, -480, -420, -360, -300, -240, -210, -180, -120, -60, 0, 60, 120, 180, 210, 240, 270, 300,
	330, 345, 360, 390, 420, 480, 525, 540, 570, 600, 630, 660, 720, 765, 780, 825, 840,
];

/** "UTC+05:30" for 330: the name of an offset as clocks and calendars show it. */
export function utcOffsetName(minutes: number): string {
	if (minutes === 0) return 'UTC';
	const sign = minutes < 0 ? '-' : '+';
	const whole = Math.abs(minutes);
	const pad = (part: number) => String(part).padStart(2, '0');
	return `UTC${sign}${pad(Math.floor(whole / 60))}:${pad(whole % 60)}`;
}

/**
 * The time zone option from version 1.1: the same parameter (minutes east of UTC), picked
 * from the offsets in use instead of typed as a number of minutes. Listed from west to east,
 * not alphabetically: the order of a clock's offsets is what a reader looks for.
 */
export const timeZoneOption: INodeProperties = {
	displayName: 'Time Zone',
	name: 'offset',
	type: 'options',
	default: 0,
	description:
		'The time zone in which days and hours are counted, by its offset from UTC: Berlin is UTC+01:00 in winter and UTC+02:00 in summer, New York UTC-05:00 in winter. Counted in UTC when not added.',
	options: UTC_OFFSETS.map((minutes) => ({ name: utcOffsetName(minutes), value: minutes })),
};

function isoOf(context: IExecuteFunctions, name: 'from' | 'to', itemIndex: number): string {
	const raw = context.getNodeParameter(name, itemIndex, '') as unknown;
	const text = typeof raw === 'string' ? raw.trim() : String(raw ?? '');
	const at = text === '' ? NaN : Date.parse(text);
	if (Number.isNaN(at)) {
		const label = name === 'from' ? 'From' : 'To';
		throw parameterRefusal(
			context.getNode(),
			`${label} is not a date and time`,
			`Pick a date in ${label}; an expression must give a date such as 2026-11-20T00:00:00Z (ISO 8601)`,
			itemIndex,
		);
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
		throw parameterRefusal(
			context.getNode(),
			'From is not before To',
			'Set From to the start of the period and To to its end; Perspective counts only a period of some length',
			itemIndex,
		);
	}
	const options = context.getNodeParameter('options', itemIndex, {}) as { offset?: unknown };
	if (options.offset === undefined || options.offset === '') return { from, to };
	const offset = Number(options.offset);
	if (!Number.isInteger(offset) || offset < OFFSET_MINUTES.min || offset > OFFSET_MINUTES.max) {
		throw parameterRefusal(
			context.getNode(),
			`The time zone "${String(options.offset).slice(0, 40)}" is not one the Perspective API can count in`,
			`Choose the time zone from its list; an expression must give whole minutes east of UTC from ${OFFSET_MINUTES.min} to ${OFFSET_MINUTES.max}, such as 120 for UTC+02:00`,
			itemIndex,
		);
	}
	return { from, to, offset };
}
