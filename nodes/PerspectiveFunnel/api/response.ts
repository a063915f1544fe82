/**
 * How to treat one HTTP answer of the Perspective API: use it, wait and ask again (429), or fail
 * with the API's own message. Errors are documented as `{ error, status, retryAfter }`, the rate
 * limit as 100 requests per minute.
 */

/** Waiting longer than this inside one node run is not worth it: the limit resets each minute. */
export const RETRY_WAIT_MAX_MS = 60_000;
/** How many 429 answers in a row one request waits through before it fails. */
export const RETRY_ATTEMPTS_MAX = 3;
/** Used when a 429 carries no `retryAfter` nor `Retry-After` header. */
const RETRY_WAIT_DEFAULT_MS = 5_000;

export type ApiOutcome =
	| { kind: 'ok'; body: unknown }
	| { kind: 'retry'; waitMs: number }
	| { kind: 'error'; status: number; message: string; description: string }
	| { kind: 'notJson'; status: number; message: string; description: string; received: { contentType: string; characters: number } };

/** What happened, when the API's answer carries no message of its own. */
const GENERIC_MESSAGES: Readonly<Record<number, string>> = {
	400: 'The Perspective API refused the request as malformed',
	401: 'The Perspective API refused the API key',
	403: 'The API key may not access this funnel or its contacts',
	404: 'The Perspective API found no such funnel, contact or insight',
	429: 'The Perspective API rate limit (100 requests per minute) was reached',
};

/** How to get unstuck, by status: shown as the error's description (n8n's Details). */
const FIXES: Readonly<Record<number, string>> = {
	400: "Check the node's parameters against the message above; an expression may have given a value of the wrong kind",
	401: 'Check the Perspective API credential: copy the key again (Account Settings → API in Perspective) in case it was cut short or regenerated. The API needs the Scale plan or the legacy Volume plan.',
	403: "Use a key that may read this workspace's funnels and contacts, for example one an admin creates under Account Settings → API",
	404: "Pick the funnel from the list rather than typing its ID, and take the contact's ID from Get Many or a trigger item of the same funnel",
};

/** The fix for a status without one of its own. */
function fixFor(status: number): string {
	if (FIXES[status] !== undefined) return FIXES[status];
	if (status >= 500) {
		return "Perspective could not answer just now. Run the node again in a few minutes, or turn on Retry On Fail in the node's settings.";
	}
	return "Check the node's parameters and its credential against the message above";
}

/** The API's own message (`error`, else `message`); never a text body, which may be any page. */
function errorText(body: unknown): string | null {
	if (typeof body !== 'object' || body === null) return null;
	const record = body as Record<string, unknown>;
	for (const key of ['error', 'message']) {
		const value = record[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 500);
	}
	return null;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	// Node's HTTP client gives Retry-After as one string (it drops repeats of it); a list of one,
	// as some clients give every header, reads the same through String().
	for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return String(value);
	return undefined;
}

/** The wait a 429 asks for: `retryAfter` in the body, else the Retry-After header, in seconds. */
export function retryAfterMs(body: unknown, headers: Record<string, unknown>): number | null {
	const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).retryAfter : undefined;
	for (const candidate of [fromBody, header(headers, 'retry-after')]) {
		const seconds = typeof candidate === 'string' ? Number(candidate) : candidate;
		if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
	}
	return null;
}

/**
 * Decides what an answer means. `attempt` counts the 429s already waited through for this
 * request (0 on the first try).
 */
export function interpretResponse(
	status: number,
	body: unknown,
	headers: Record<string, unknown>,
	attempt: number,
): ApiOutcome {
	if (status >= 200 && status < 300) return typeof body === 'string' || body === undefined ? notJson(status, body, headers) : { kind: 'ok', body };
	const message = errorText(body) ?? GENERIC_MESSAGES[status] ?? `The Perspective API answered HTTP ${status}`;
	if (status === 429) {
		const waitMs = retryAfterMs(body, headers) ?? RETRY_WAIT_DEFAULT_MS;
		if (attempt < RETRY_ATTEMPTS_MAX && waitMs <= RETRY_WAIT_MAX_MS) return { kind: 'retry', waitMs };
		const seconds = Math.ceil(waitMs / 1000);
		return {
			kind: 'error',
			status,
			message,
			description:
				attempt >= RETRY_ATTEMPTS_MAX
					? `Still rate limited after waiting ${RETRY_ATTEMPTS_MAX} times; the API asks to retry in ${seconds} s. Poll less often or spread the workflow's requests.`
					: `The API asks to retry in ${seconds} s, longer than the ${RETRY_WAIT_MAX_MS / 1000} s a node run waits. Run the node again after that, and spread the workflow's requests over time.`,
		};
	}
	const received = typeof body === 'string' ? ` The answer was ${textAnswer(body, headers)} (not shown: it may hold personal data).` : '';
	return { kind: 'error', status, message, description: `${fixFor(status)}${received}` };
}

/** A text answer said by its content type and length only. */
function textAnswer(body: string, headers: Record<string, unknown>): string {
	const contentType = (header(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase().slice(0, 100);
	return `${contentType === '' ? 'no content type' : contentType}, ${body.length === 0 ? 'empty' : `${body.length} characters`}`;
}

/**
 * A 2xx whose body n8n could not read as JSON (it hands such a body over as text, an empty one
 * as nothing): a proxy's or captive portal's page, say. Said by its content type and length
 * only, since the text may hold personal data.
 */
function notJson(status: number, body: string | undefined, headers: Record<string, unknown>): ApiOutcome {
	const contentType = (header(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase().slice(0, 100);
	const characters = body?.length ?? 0;
	const type = contentType === '' ? 'no content type' : contentType;
	return {
		kind: 'notJson',
		status,
		message: `The Perspective API answered ${status}, but not with JSON`,
		description: `The answer was ${textAnswer(body ?? '', headers)} (not shown: it may hold personal data). Perspective's API answers JSON; a page like this comes from a proxy, a captive portal or another server at the Base URL. Check the credential's Base URL (https://api.perspective.co unless Perspective announced another) and any proxy between this n8n and the internet, then run the node again.`,
		received: { contentType: type, characters },
	};
}
