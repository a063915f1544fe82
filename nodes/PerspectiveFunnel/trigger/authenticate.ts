import { createHash, timingSafeEqual } from 'crypto';

/** The request parts a token may travel in. */
export interface TokenCarriers {
	query: Record<string, unknown>;
	headers: Record<string, string | string[] | undefined>;
}

const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The token a request presents: query parameter `token` (the only form Perspective can
 * send, since it is given a URL), header `x-perspective-token`, or `Authorization: Bearer`.
 * A parameter given twice counts as none.
 */
export function presentedToken({ query, headers }: TokenCarriers): string | undefined {
	const fromQuery = single(query.token);
	if (fromQuery) return fromQuery;
	const fromHeader = single(headers['x-perspective-token']);
	if (fromHeader) return fromHeader;
	const authorization = single(headers.authorization);
	if (authorization === undefined) return undefined;
	return /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
}

/**
 * Compares in constant time: both sides are hashed first, so neither the content nor the
 * length of the expected token leaks through timing. A credential without a token matches nothing.
 */
export function tokensMatch(presented: string, expected: string | undefined): boolean {
	if (!expected) return false;
	const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(digest(presented), digest(expected));
}

const MIN_TOKEN_LENGTH = 16;

/** Why a token is unfit for the URL it travels in, or null when it is fine. */
export function tokenStrengthProblem(token: string): string | null {
	if (token.length < MIN_TOKEN_LENGTH) return `Use at least ${MIN_TOKEN_LENGTH} characters`;
	if (!/^[A-Za-z0-9._~-]+$/.test(token)) {
		return 'Use only letters, digits and . _ ~ - so that the token can stand in a URL unencoded';
	}
	return null;
}
