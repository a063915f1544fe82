import toPath from 'lodash/toPath';

/** Limits on what one request may carry; each is named in the answer that enforces it. */
export const LIMITS = {
	eventsPerRequest: 500,
	identifierLength: 200,
	identifierDepth: 5,
	valueLength: 10_000,
	contactIdLength: 200,
	funnelNameLength: 1_000,
} as const;

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

/** The title a field gets when its source gives none: the standard one, or the identifier. */
export function defaultTitle(path: string): string {
	return Object.prototype.hasOwnProperty.call(STANDARD_TITLES, path) ? STANDARD_TITLES[path] : path;
}

/** Fields whose non-blank value turns a visitor into a lead. */
export function isContactField(path: string): boolean {
	return path === 'email' || path === 'phone';
}

/**
 * Checks a dotted identifier as lodash's `set` would read it (Perspective uses lodash too).
 * Returns what is wrong with it, or null when it is usable as a profile path.
 */
export function identifierProblem(identifier: string): string | null {
	if (identifier.length === 0) return 'identifier is empty';
	if (identifier.length > LIMITS.identifierLength) {
		return `identifier is longer than ${LIMITS.identifierLength} characters`;
	}
	const segments = toPath(identifier);
	if (segments.length > LIMITS.identifierDepth) {
		return `identifier is deeper than ${LIMITS.identifierDepth} levels`;
	}
	for (const segment of segments) {
		if (segment.length === 0) return 'identifier has an empty segment';
		if (FORBIDDEN_SEGMENTS.has(segment)) return `identifier has a forbidden segment "${segment}"`;
	}
	return null;
}

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Scalar answer values as Perspective stores them: text. */
export type AnswerValue = string | number | boolean | null | Array<string | number | boolean>;

/** Multiple choice becomes one string joined by `;`, numbers and booleans become text. */
export function valueToText(value: AnswerValue): string {
	if (value === null) return '';
	if (Array.isArray(value)) return value.map((item) => String(item)).join(';');
	return String(value);
}
