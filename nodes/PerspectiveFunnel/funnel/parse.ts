import { z } from 'zod';

import {
	COOKIES_FIELD,
	EARLIEST_TIME,
	LIMITS,
	MAX_CLOCK_SKEW_MS,
	RESULT_FIELD,
	defaultTitle,
	identifierProblem,
	isContactField,
	isPlainObject,
	isWellFormedText,
	valueToText,
	type AnswerValue,
} from './fields';
import type { ContactEvent, EpochMs, FieldUpdate, InputProblem, ProblemKind } from './types';

export type ParseResult = { ok: true; events: ContactEvent[] } | { ok: false; problem: InputProblem };

/**
 * Date, and optionally a time with an offset: `2026-11-27`, `2026-11-27T10:00:00.000Z`, `…+01:00`.
 * Groups: year, month, day, hour, minute, second, fraction, offset (`Z`, or sign, hours, minutes).
 */
const ISO_8601 =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/i;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const NOT_A_TIME = 'expected an ISO 8601 timestamp or epoch milliseconds';

/**
 * The moment ISO 8601 text stands for, or what is wrong with it. Computed from the parts the
 * pattern checked, not by Date.parse, which accepts more than ISO 8601 and varies by engine.
 * A date alone is midnight UTC, as ECMAScript reads it; a time needs a zone.
 */
function isoTime(text: string): EpochMs | string {
	const match = ISO_8601.exec(text);
	if (!match) return NOT_A_TIME;
	const [, year, month, day, hour, minute, second, fraction, zone, sign, offsetHours, offsetMinutes] = match;
	const [y, mo, d] = [Number(year), Number(month), Number(day)];
	const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
	const monthDays = mo === 2 && !leap ? 28 : DAYS_IN_MONTH[mo - 1];
	if (mo < 1 || mo > 12 || d < 1 || d > monthDays) return 'not a date in the calendar';
	if (hour === undefined) return Date.UTC(y, mo - 1, d);
	if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return 'not a time of day';
	if (zone === undefined) return 'timestamp has no time zone: end it with Z or an offset such as +01:00';
	if (Number(offsetHours) > 14 || Number(offsetMinutes) > 59) return 'not a time zone offset';
	const milliseconds = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
	const local = Date.UTC(y, mo - 1, d, Number(hour), Number(minute), Number(second ?? 0), milliseconds);
	// Z has no sign; east of UTC (+) is ahead of it
	const offsetMinutesEast = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
	return local - offsetMinutesEast * 60_000;
}

/** ISO 8601 text or epoch milliseconds since 2010 → epoch milliseconds; null and absent stay so. */
const timestamp = z.unknown().transform((raw, ctx): EpochMs | null | undefined => {
	if (raw === undefined || raw === null) return raw;
	let at: EpochMs | string = NOT_A_TIME;
	if (typeof raw === 'number') {
		if (Number.isFinite(raw) && raw >= 0) at = Math.trunc(raw);
	} else if (typeof raw === 'string') {
		at = isoTime(raw.trim());
	}
	if (typeof at === 'number' && at < EARLIEST_TIME) {
		at = 'timestamp is before 2010-01-01, earlier than any Perspective funnel';
	}
	if (typeof at === 'number') return at;
	ctx.addIssue({ code: z.ZodIssueCode.custom, message: at });
	return z.NEVER;
});

/** Nothing further ahead of the time of receipt than a sender's clock may be off. */
const FUTURE_PROBLEM = 'timestamp is more than 1 day after the time of receipt';

const text = (what: string, max: number) =>
	z
		.string({ invalid_type_error: `expected ${what} as a string` })
		.max(max, { message: `longer than ${max} characters` });

const requiredId = (what: string, max: number) =>
	z
		.string({ required_error: `required: ${what}`, invalid_type_error: `expected ${what} as a string` })
		.trim()
		.min(1, { message: `required: ${what} (a non-empty string)` })
		.max(max, { message: `longer than ${max} characters` });

/**
 * A contact ID: a required ID that is also valid Unicode text, since a memory keys the contact
 * by it (a Redis key is UTF-8, where every lone surrogate is the same U+FFFD).
 */
const contactId = requiredId('the contact ID', LIMITS.contactIdLength).refine(isWellFormedText, {
	message: 'the contact ID is not valid Unicode text',
});

const identifier = z
	.string({ required_error: 'required: the field identifier', invalid_type_error: 'expected the identifier as a string' })
	.superRefine((id, ctx) => {
		const problem = identifierProblem(id);
		if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
	});

const EXPECTED_VALUE = 'expected text, a number, a boolean, an array of those, or null';
const VALUE_TOO_LONG = `value is longer than ${LIMITS.valueLength} characters`;

/** Where in a value a problem lies (`[3]` for a list's fourth item, '' for the value itself), and what it is. */
type ValueReading = { ok: true; text: string } | { ok: false; at: string; message: string };

const isScalar = (item: unknown) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean';

/**
 * Reads an answer's value: text, a finite number, a boolean, a list of those (multiple
 * choice, joined by `;`), or null; as text at most `LIMITS.valueLength` characters. Its cost
 * is bounded before it starts: a list of n items joins into at least n - 1 characters, so a
 * list longer than `LIMITS.valueLength + 1` is refused by its length alone, unread.
 */
function readAnswerValue(value: unknown): ValueReading {
	if (value === null) return { ok: true, text: '' };
	if (Array.isArray(value)) {
		if (value.length > LIMITS.valueLength + 1) return { ok: false, at: '', message: VALUE_TOO_LONG };
		if (!value.every(isScalar)) return { ok: false, at: '', message: EXPECTED_VALUE };
		const infinite = value.findIndex((item) => typeof item === 'number' && !Number.isFinite(item));
		if (infinite >= 0) return { ok: false, at: `[${infinite}]`, message: 'expected a finite number' };
	} else if (!isScalar(value)) {
		return { ok: false, at: '', message: EXPECTED_VALUE };
	} else if (typeof value === 'number' && !Number.isFinite(value)) {
		return { ok: false, at: '', message: 'expected a finite number' };
	}
	const text = valueToText(value as AnswerValue);
	return text.length > LIMITS.valueLength ? { ok: false, at: '', message: VALUE_TOO_LONG } : { ok: true, text };
}

/** An answer's value as text; undefined when absent. */
const answerValue = z.unknown().transform((value, ctx): string | undefined => {
	if (value === undefined) return undefined;
	const reading = readAnswerValue(value);
	if (reading.ok) return reading.text;
	const path = reading.at === '' ? [] : [Number(reading.at.slice(1, -1))];
	ctx.addIssue({ code: z.ZodIssueCode.custom, message: reading.message, path });
	return z.NEVER;
});

const COOKIES_TOO_LONG = `the accepted integrations are longer than ${LIMITS.valueLength} characters once joined`;

const answerSchema = z.object(
	{
		id: identifier,
		title: text('the title', LIMITS.valueLength).optional(),
		value: answerValue,
		type: text('the answer type', 50).optional(),
	},
	{ invalid_type_error: 'expected an answer object { id, value, title, type }' },
);

const responseSchema = z.object({
	type: z.literal('response'),
	contactId,
	funnelName: requiredId('the funnel name', LIMITS.funnelNameLength),
	globalId: text('the global ID', LIMITS.contactIdLength).nullable().optional(),
	timestamp,
	answers: z.array(answerSchema, { invalid_type_error: 'expected an array of answers' }).optional(),
	page: z
		.object(
			{
				isLast: z.boolean({ invalid_type_error: 'expected true or false' }).optional(),
				result: text('the result page name', LIMITS.valueLength).nullable().optional(),
			},
			{ invalid_type_error: 'expected an object { isLast, result }' },
		)
		.optional(),
	cookies: z
		.array(text('a cookie integration name', LIMITS.valueLength), {
			invalid_type_error: 'expected an array of accepted integration names',
		})
		.refine((names) => names.join(';').length <= LIMITS.valueLength, { message: COOKIES_TOO_LONG })
		.optional(),
});

const flag = z.boolean({ invalid_type_error: 'expected true or false' }).nullable().optional();

const snapshotSchema = z.object({
	id: contactId,
	funnelName: requiredId('the funnel name', LIMITS.funnelNameLength),
	meta: z
		.object(
			{
				createdAt: timestamp,
				lastSeenAt: timestamp,
				completedAt: timestamp,
				convertedAt: timestamp,
				globalId: text('the global ID', LIMITS.contactIdLength).nullable().optional(),
				completed: flag,
				converted: flag,
			},
			{ invalid_type_error: 'expected an object' },
		)
		.optional(),
	// Checked for shape only: the walk reads the body's own object, since copying it (as a
	// zod record does) would turn a "__proto__" key into a prototype instead of refusing it.
	profile: z
		.unknown()
		.refine((value) => value === undefined || isPlainObject(value), {
			message: 'expected an object of { value, title } fields',
		}),
});

const profileTitle = text('the title', LIMITS.valueLength).nullable().optional();

type ResponseInput = z.infer<typeof responseSchema>;
type SnapshotInput = z.infer<typeof snapshotSchema>;

function isLeaf(node: Record<string, unknown>): boolean {
	return Object.prototype.hasOwnProperty.call(node, 'value');
}

type ProfileResult =
	| { ok: true; fields: FieldUpdate[] }
	| { ok: false; field: string; message: string; kind?: ProblemKind };

const TOO_MANY_ANSWERS = `more than ${LIMITS.answersPerEvent} answers in one event`;

/**
 * Reads a profile as Perspective sends it: `{ value, title }` leaves, nested for dotted
 * identifiers, or with flat dotted keys; both become fields with a dotted path.
 */
function readProfile(profile: Record<string, unknown>): ProfileResult {
	const fields: FieldUpdate[] = [];
	// Depth-first, so fields keep the order they have in the body; identifierProblem
	// refuses a path deeper than the limit before the walk goes further down.
	const walk = (node: Record<string, unknown>, prefix: string, location: string): ProfileResult | null => {
		for (const key of Object.keys(node)) {
			const path = prefix ? `${prefix}.${key}` : key;
			const here = `${location}[${JSON.stringify(key)}]`;
			const problem = identifierProblem(path);
			if (problem) return { ok: false, field: here, message: problem };
			const child = node[key];
			if (!isPlainObject(child)) return { ok: false, field: here, message: 'expected an object { value, title }' };
			if (!isLeaf(child)) {
				const inner = walk(child, path, here);
				if (inner) return inner;
				continue;
			}
			const value = readAnswerValue(child.value);
			if (!value.ok) return { ok: false, field: `${here}.value`, message: value.message };
			const title = profileTitle.safeParse(child.title);
			if (!title.success) return { ok: false, field: `${here}.title`, message: title.error.issues[0].message };
			if (fields.length === LIMITS.answersPerEvent) return { ok: false, field: 'profile', message: TOO_MANY_ANSWERS, kind: 'tooLarge' };
			fields.push({ path, value: value.text, title: title.data || defaultTitle(path) });
		}
		return null;
	};
	return walk(profile, '', 'profile') ?? { ok: true, fields };
}

function splitResults(value: string): string[] {
	return value
		.split(';')
		.map((name) => name.trim())
		.filter((name) => name.length > 0);
}

function fromSnapshot(input: SnapshotInput, profileFields: FieldUpdate[], receivedAt: EpochMs): ContactEvent {
	const meta = input.meta ?? {};
	const at = meta.lastSeenAt ?? receivedAt;
	const results = profileFields.filter((field) => field.path === RESULT_FIELD).flatMap((field) => splitResults(field.value));
	const converted = meta.converted ?? (meta.convertedAt !== undefined && meta.convertedAt !== null);
	const completed = meta.completed ?? (meta.completedAt !== undefined && meta.completedAt !== null);
	return {
		source: 'snapshot',
		contactId: input.id,
		funnelName: input.funnelName,
		at,
		createdAt: meta.createdAt ?? undefined,
		globalId: meta.globalId || undefined,
		fields: profileFields.filter((field) => field.path !== RESULT_FIELD),
		results,
		convertedAt: converted ? (meta.convertedAt ?? at) : undefined,
		completedAt: completed ? (meta.completedAt ?? at) : undefined,
	};
}

function fromResponse(input: ResponseInput, receivedAt: EpochMs): ContactEvent {
	const at = input.timestamp ?? receivedAt;
	const fields: FieldUpdate[] = [];
	let converts = false;
	for (const answer of input.answers ?? []) {
		const value = answer.value ?? '';
		fields.push({ path: answer.id, value, title: answer.title || defaultTitle(answer.id) });
		const contactType = answer.type === 'email' || answer.type === 'phone';
		if ((contactType || isContactField(answer.id)) && value.trim().length > 0) converts = true;
	}
	if (input.cookies) {
		// the names of the accepted integrations, joined as one field (checked at most LIMITS.valueLength)
		fields.push({ path: COOKIES_FIELD, value: input.cookies.join(';'), title: defaultTitle(COOKIES_FIELD) });
	}
	const result = input.page?.result?.trim();
	const completes = input.page?.isLast === true || Boolean(result);
	return {
		source: 'response',
		contactId: input.contactId,
		funnelName: input.funnelName,
		at,
		globalId: input.globalId || undefined,
		fields,
		results: result ? [result] : [],
		convertedAt: converts ? at : undefined,
		completedAt: completes ? at : undefined,
	};
}

function formatPath(path: Array<string | number>): string {
	return path.reduce<string>((out, part) => {
		if (typeof part === 'number') return `${out}[${part}]`;
		return out ? `${out}.${part}` : part;
	}, '');
}

/** The first of an event's times that lies too far ahead of the time of receipt, by field. */
function futureField(times: Record<string, EpochMs | null | undefined>, receivedAt: EpochMs): string | null {
	const latest = receivedAt + MAX_CLOCK_SKEW_MS;
	for (const [field, at] of Object.entries(times)) {
		if (typeof at === 'number' && at > latest) return field;
	}
	return null;
}

function parseOne(raw: unknown, index: number, receivedAt: EpochMs): ContactEvent | InputProblem {
	const problem = (field: string, message: string, kind: ProblemKind = 'malformed'): InputProblem => ({ kind, index, field, message });
	if (!isPlainObject(raw)) return problem('', 'expected an event object');
	if (raw.type !== undefined) {
		if (raw.type !== 'response') return problem('type', 'unknown type: expected "response", or no type for a Perspective webhook body');
		// lists are counted before any item is read
		if (Array.isArray(raw.answers) && raw.answers.length > LIMITS.answersPerEvent) {
			return problem('answers', TOO_MANY_ANSWERS, 'tooLarge');
		}
		if (Array.isArray(raw.cookies) && raw.cookies.length > LIMITS.valueLength + 1) return problem('cookies', COOKIES_TOO_LONG);
		const parsed = responseSchema.safeParse(raw);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			return problem(formatPath(issue.path), issue.message);
		}
		const future = futureField({ timestamp: parsed.data.timestamp }, receivedAt);
		if (future) return problem(future, FUTURE_PROBLEM);
		return fromResponse(parsed.data, receivedAt);
	}
	const parsed = snapshotSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return problem(formatPath(issue.path), issue.message);
	}
	const meta = parsed.data.meta;
	if (meta) {
		const future = futureField(
			{
				'meta.createdAt': meta.createdAt,
				'meta.lastSeenAt': meta.lastSeenAt,
				'meta.completedAt': meta.completedAt,
				'meta.convertedAt': meta.convertedAt,
			},
			receivedAt,
		);
		if (future) return problem(future, FUTURE_PROBLEM);
	}
	const profile = readProfile((raw.profile as Record<string, unknown> | undefined) ?? {});
	if (!profile.ok) return problem(profile.field, profile.message, profile.kind);
	return fromSnapshot(parsed.data, profile.fields, receivedAt);
}

/**
 * The first bound, checked before the body is read at all: n8n accepts bodies of up to 16 MB,
 * and reading one costs time in proportion to its size (an object's keys cannot even be
 * counted without listing them all). `bytes` is the body's size as received.
 */
export function bodySizeProblem(bytes: number): InputProblem | null {
	if (bytes <= LIMITS.requestBytes) return null;
	return { kind: 'tooLarge', index: null, field: '', message: `the body is larger than ${LIMITS.requestBytes} bytes` };
}

/**
 * Turns a request body into contact events, all or nothing: the first bad event refuses
 * the whole request. `receivedAt` stands in for the time of events that carry none.
 */
export function parseRequestBody(body: unknown, receivedAt: EpochMs): ParseResult {
	const items = Array.isArray(body) ? body : [body];
	if (!Array.isArray(body) && !isPlainObject(body)) {
		return {
			ok: false,
			problem: { kind: 'malformed', index: null, field: '', message: 'expected a JSON object or an array of them' },
		};
	}
	if (items.length === 0) {
		return { ok: false, problem: { kind: 'malformed', index: null, field: '', message: 'the array holds no event' } };
	}
	if (items.length > LIMITS.eventsPerRequest) {
		return {
			ok: false,
			problem: {
				kind: 'tooManyEvents',
				index: null,
				field: '',
				message: `more than ${LIMITS.eventsPerRequest} events in one request`,
			},
		};
	}
	const events: ContactEvent[] = [];
	for (let index = 0; index < items.length; index++) {
		const result = parseOne(items[index], index, receivedAt);
		if ('kind' in result) return { ok: false, problem: result };
		events.push(result);
	}
	return { ok: true, events };
}
