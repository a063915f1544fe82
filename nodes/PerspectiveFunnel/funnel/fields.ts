/**
 * Limits on what one request may carry and what the node keeps; each is named in the answer
 * that enforces it. The reasoning behind each number is in docs/trigger-reference.md, section Limits.
 */
export const LIMITS = {
	/** Bytes of one request body, checked before it is read. */
	requestBytes: 2_000_000,
	eventsPerRequest: 500,
	/** Answers of one response event, leaves of one webhook profile. */
	answersPerEvent: 300,
	identifierLength: 200,
	identifierDepth: 5,
	valueLength: 10_000,
	contactIdLength: 200,
	funnelNameLength: 1_000,
	/** Distinct fields one contact may hold, result pages included. */
	fieldsPerContact: 300,
	/** Characters of one contact's stored answers: identifiers, values, titles, result pages. */
	contactCharacters: 100_000,
	/** Characters of the whole stored state; past it the least recently seen contacts go. */
	stateCharacters: 8_000_000,
} as const;

/** The earliest time accepted: before any Perspective funnel existed (2010-01-01T00:00:00Z). */
export const EARLIEST_TIME = Date.UTC(2010, 0, 1);

/** How far past the time of receipt a timestamp may lie: clock skew of the sender. */
export const MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/** Titles Perspective gives its standard input fields (and system fields). */
const STANDARD_TITLES: Readonly<Record<string, string>> = {
	name: 'Full name',
	firstName: 'First name',
	lastName: 'Last name',
	email: 'Email',
	phone: 'Phone',
	website: 'Website',
	'address.street': 'Street',
	'address.postalCode': 'Postal code',
	'address.city': 'City',
	'address.country': 'Country',
	cookies: 'Cookies',
	result: 'Result',
};

export const COOKIES_FIELD = 'cookies';
export const RESULT_FIELD = 'result';

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Names an item key must not have: every member of Object.prototype (`toString`, `valueOf`,
 * `hasOwnProperty`, ...). As an own property, a field would shadow it, and `String(item)`
 * or a `hasOwnProperty` call in a Code node would throw.
 */
const RESERVED_SEGMENTS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** An identifier's levels: split at each dot, nothing else (no brackets, no array indexes). */
export function segmentsOf(identifier: string): string[] {
	return identifier.split('.');
}

/** True when a key would shadow or reach Object.prototype. */
export function isReservedKey(key: string): boolean {
	return FORBIDDEN_SEGMENTS.has(key) || RESERVED_SEGMENTS.has(key);
}

/** The title a field gets when its source gives none: the standard one, or the identifier. */
export function defaultTitle(path: string): string {
	return Object.prototype.hasOwnProperty.call(STANDARD_TITLES, path) ? STANDARD_TITLES[path] : path;
}

/** Fields whose non-blank value turns a visitor into a lead. */
export function isContactField(path: string): boolean {
	return path === 'email' || path === 'phone';
}

/**
 * Checks a dotted identifier: each dot is one level down, every other character is part of
 * a key (so `x.100000000` is key "100000000" of an object, never an array index).
 * Returns what is wrong with it, or null when it is usable as a profile path.
 */
export function identifierProblem(identifier: string): string | null {
	if (identifier.length === 0) return 'identifier is empty';
	if (identifier.length > LIMITS.identifierLength) {
		return `identifier is longer than ${LIMITS.identifierLength} characters`;
	}
	const segments = segmentsOf(identifier);
	if (segments.length > LIMITS.identifierDepth) {
		return `identifier is deeper than ${LIMITS.identifierDepth} levels`;
	}
	for (const segment of segments) {
		if (segment.length === 0) return 'identifier has an empty segment';
		if (FORBIDDEN_SEGMENTS.has(segment)) return `identifier has a forbidden segment "${segment}"`;
		if (RESERVED_SEGMENTS.has(segment)) {
			return `identifier has a segment "${segment}", a name JavaScript objects reserve`;
		}
	}
	return null;
}

/** A surrogate code unit without its partner: a high one not followed by a low one, a low one not after a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when the text is valid UTF-16, so that it means the same once encoded as UTF-8: a lone
 * surrogate becomes U+FFFD there, and two IDs that differ only in one would name the same
 * Redis key while static data kept them apart. (String.prototype.isWellFormed, by hand: the
 * package compiles against ES2021, which does not declare it; the pattern reads code units, as it
 * has no `u` flag.)
 */
export function isWellFormedText(text: string): boolean {
	return !LONE_SURROGATE.test(text);
}

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Scalar answer values as Perspective stores them: text. (A null answer is read as '' where it is parsed.) */
export type AnswerValue = string | number | boolean | Array<string | number | boolean>;

/** Multiple choice becomes one string joined by `;`, numbers and booleans become text. */
export function valueToText(value: AnswerValue): string {
	if (Array.isArray(value)) return value.map((item) => String(item)).join(';');
	return String(value);
}
