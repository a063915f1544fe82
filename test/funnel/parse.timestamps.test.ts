/**
 * How the parser reads a time: ISO 8601 text or epoch milliseconds, from 2010 on, at most a day
 * after the time of receipt. Each rule is stated at its edge: the last value taken, the first
 * refused.
 */
import fc from 'fast-check';

import { parseRequestBody } from '../../nodes/PerspectiveFunnel/funnel/parse';
import { EARLIEST_TIME, MAX_CLOCK_SKEW_MS } from '../../nodes/PerspectiveFunnel/funnel/fields';

/** Late enough that every generated time lies before it. */
const RECEIVED = Date.UTC(2500, 0, 1);

const responseAt = (timestamp: unknown) => ({ type: 'response', contactId: 'c', funnelName: 'F', timestamp });

/** The moment the parser reads from `timestamp`, or the message of its refusal. */
function readTime(timestamp: unknown, receivedAt = RECEIVED): number | string {
	const result = parseRequestBody(responseAt(timestamp), receivedAt);
	if (!result.ok) {
		expect(result.problem).toMatchObject({ kind: 'malformed', index: 0, field: 'timestamp' });
		return result.problem.message;
	}
	return result.events[0].at;
}

const NOT_A_TIME = 'expected an ISO 8601 timestamp or epoch milliseconds';
const NOT_IN_CALENDAR = 'not a date in the calendar';
const NOT_A_TIME_OF_DAY = 'not a time of day';
const NOT_AN_OFFSET = 'not a time zone offset';
const BEFORE_2010 = 'timestamp is before 2010-01-01, earlier than any Perspective funnel';
const NO_ZONE = 'timestamp has no time zone: end it with Z or an offset such as +01:00';

describe('ISO 8601 text', () => {
	const two = (n: number) => String(n).padStart(2, '0');

	it('reads every well-formed timestamp as the moment Date.parse gives for it', () => {
		const wellFormed = fc
			.record({
				year: fc.integer({ min: 2010, max: 2100 }),
				month: fc.integer({ min: 1, max: 12 }),
				day: fc.integer({ min: 1, max: 28 }),
				hour: fc.integer({ min: 0, max: 23 }),
				minute: fc.integer({ min: 0, max: 59 }),
				second: fc.integer({ min: 0, max: 59 }),
				millis: fc.option(fc.integer({ min: 0, max: 999 })),
				zone: fc.oneof(
					fc.constant('Z'),
					fc
						.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 59 }))
						.map(([sign, h, m]) => `${sign}${two(h)}:${two(m)}`),
				),
			})
			.filter(({ year, month }) => year > 2010 || month > 1) // a negative offset on 2010-01-01 is still 2009 in UTC
			.map(
				({ year, month, day, hour, minute, second, millis, zone }) =>
					`${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}` +
					(millis === null ? '' : `.${String(millis).padStart(3, '0')}`) +
					zone,
			);
		fc.assert(
			fc.property(wellFormed, (text) => {
				expect(readTime(text)).toBe(Date.parse(text));
			}),
		);
	});

	it.each([
		['a date alone, as midnight UTC', '2026-11-27', Date.UTC(2026, 10, 27)],
		['hours and minutes without seconds', '2026-11-27T10:05Z', Date.UTC(2026, 10, 27, 10, 5)],
		['a space instead of T', '2026-11-27 10:05:06Z', Date.UTC(2026, 10, 27, 10, 5, 6)],
		['lower-case t and z', '2026-11-27t10:05:06z', Date.UTC(2026, 10, 27, 10, 5, 6)],
		['an offset without a colon', '2026-11-27T10:05:06+0130', Date.UTC(2026, 10, 27, 8, 35, 6)],
		['a negative offset', '2026-11-27T10:05:06-02:15', Date.UTC(2026, 10, 27, 12, 20, 6)],
		['a fraction of one digit, as tenths', '2026-11-27T10:05:06.5Z', Date.UTC(2026, 10, 27, 10, 5, 6, 500)],
		['a fraction of nine digits, cut to milliseconds', '2026-11-27T10:05:06.123999999Z', Date.UTC(2026, 10, 27, 10, 5, 6, 123)],
		['spaces around it', '  2026-11-27T10:05:06Z\n', Date.UTC(2026, 10, 27, 10, 5, 6)],
	])('reads %s', (_case, text, expected) => {
		expect(readTime(text)).toBe(expected);
	});

	it.each([
		['February 29 of a leap year', '2024-02-29T12:00:00Z', Date.UTC(2024, 1, 29, 12)],
		['February 29 of a year divisible by 400', '2400-02-29', Date.UTC(2400, 1, 29)],
		['the last day of a 30-day month', '2026-04-30', Date.UTC(2026, 3, 30)],
		['the last day of a 31-day month', '2026-12-31', Date.UTC(2026, 11, 31)],
		['the first month and day', '2026-01-01', Date.UTC(2026, 0, 1)],
		['the last second of a day', '2026-11-27T23:59:59Z', Date.UTC(2026, 10, 27, 23, 59, 59)],
		['the largest offset, +14:00', '2026-11-27T14:00:00+14:00', Date.UTC(2026, 10, 27)],
		['offset minutes of 59', '2026-11-27T10:00:00-00:59', Date.UTC(2026, 10, 27, 10, 59)],
	])('accepts %s', (_case, text, expected) => {
		expect(readTime(text)).toBe(expected);
	});

	it.each([
		['February 29 of a common year', '2025-02-29', NOT_IN_CALENDAR],
		['February 29 of a century year not divisible by 400', '2100-02-29', NOT_IN_CALENDAR],
		['day 31 of a 30-day month', '2026-04-31', NOT_IN_CALENDAR],
		['day 32', '2026-01-32', NOT_IN_CALENDAR],
		['day 0', '2026-01-00', NOT_IN_CALENDAR],
		['month 0', '2026-00-10', NOT_IN_CALENDAR],
		['month 13', '2026-13-10', NOT_IN_CALENDAR],
		['hour 24', '2026-11-27T24:00:00Z', NOT_A_TIME_OF_DAY],
		['minute 60', '2026-11-27T10:60:00Z', NOT_A_TIME_OF_DAY],
		['second 60', '2026-11-27T10:00:60Z', NOT_A_TIME_OF_DAY],
		['offset hours of 15', '2026-11-27T10:00:00+15:00', NOT_AN_OFFSET],
		['offset minutes of 60', '2026-11-27T10:00:00+14:60', NOT_AN_OFFSET],
		['a time without a zone', '2026-11-27T10:00:00', NO_ZONE],
		['a fraction of ten digits', '2026-11-27T10:00:00.1234567890Z', NOT_A_TIME],
		['a fraction without seconds', '2026-11-27T10:00.5Z', NOT_A_TIME],
		['a week date', '2026-W48-5', NOT_A_TIME],
		['a year of five digits', '+02026-11-27', NOT_A_TIME],
		['text Date.parse reads, but not ISO 8601', 'Fri, 27 Nov 2026 10:00:00 GMT', NOT_A_TIME],
		['epoch milliseconds as text', '1795773600000', NOT_A_TIME],
		['an empty string', '', NOT_A_TIME],
	])('refuses %s', (_case, text, message) => {
		expect(readTime(text)).toBe(message);
	});
});

describe('epoch milliseconds', () => {
	it('takes whole milliseconds and cuts a fraction', () => {
		expect(readTime(1_795_773_600_000)).toBe(1_795_773_600_000);
		expect(readTime(1_795_773_600_000.9)).toBe(1_795_773_600_000);
	});

	it.each([
		['a negative number', -1],
		['a number too large for a double (1e400 in JSON)', JSON.parse('1e400')],
		['true', true],
		['an object', { at: 1_795_773_600_000 }],
	])('refuses %s', (_case, raw) => {
		expect(readTime(raw)).toBe(NOT_A_TIME);
	});
});

describe('the earliest time: 2010-01-01T00:00:00Z', () => {
	it('accepts the moment itself and refuses a millisecond earlier, as epoch or as text', () => {
		expect(readTime(EARLIEST_TIME)).toBe(EARLIEST_TIME);
		expect(readTime(EARLIEST_TIME - 1)).toBe(BEFORE_2010);
		expect(readTime('2010-01-01T00:00:00.000Z')).toBe(EARLIEST_TIME);
		expect(readTime('2009-12-31T23:59:59.999Z')).toBe(BEFORE_2010);
		expect(readTime('2010-01-01T00:30:00+01:00')).toBe(BEFORE_2010);
		expect(readTime('0099-01-01')).toBe(BEFORE_2010);
	});
});

describe('the future: at most one day after the time of receipt', () => {
	const received = Date.UTC(2026, 10, 27, 10);
	const latest = received + MAX_CLOCK_SKEW_MS;
	const FUTURE = 'timestamp is more than 1 day after the time of receipt';

	it('accepts a response timestamp exactly a day ahead and refuses one a millisecond later', () => {
		expect(readTime(latest, received)).toBe(latest);
		expect(readTime(latest + 1, received)).toBe(FUTURE);
		expect(readTime(new Date(latest + 1).toISOString(), received)).toBe(FUTURE);
	});

	it.each(['createdAt', 'lastSeenAt', 'completedAt', 'convertedAt'])('names meta.%s when it lies too far ahead', (field) => {
		const body = (at: number) => ({ id: 'c', funnelName: 'F', meta: { [field]: at } });
		expect(parseRequestBody(body(latest), received).ok).toBe(true);
		const refused = parseRequestBody(body(latest + 1), received);
		expect(refused).toEqual({
			ok: false,
			problem: { kind: 'malformed', index: 0, field: `meta.${field}`, message: FUTURE },
		});
	});

	it('names the first of several times too far ahead, in the order createdAt, lastSeenAt, completedAt, convertedAt', () => {
		const meta = { convertedAt: latest + 1, completedAt: latest + 1, lastSeenAt: latest + 1 };
		const refused = parseRequestBody({ id: 'c', funnelName: 'F', meta }, received);
		expect(refused).toMatchObject({ ok: false, problem: { field: 'meta.lastSeenAt' } });
	});
});
