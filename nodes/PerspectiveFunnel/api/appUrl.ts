/**
 * Addresses of Perspective's app that carry a record's ID. Perspective documents none; the one
 * shape public sources show is the funnel's, `https://app.perspective.co/funnel/<id>`, with its
 * 24-hex ID (docs/n8n-review.md, row 4, has the sources). Contacts have no known address.
 */

/**
 * A funnel's address: any page of `perspective.co` or a subdomain of it whose path holds
 * `funnel/<id>` or `funnels/<id>` (a language prefix or a page after the ID is allowed).
 * One capturing group, the ID, as n8n's `extractValue` requires.
 */
export const FUNNEL_URL_PATTERN =
	'^https?://(?:[A-Za-z0-9-]+\\.)*perspective\\.co/(?:[^?#]*/)?funnels?/([0-9a-fA-F]{24})(?:[/?#].*)?$';

const funnelUrl = new RegExp(FUNNEL_URL_PATTERN);

/** The funnel ID in a pasted Perspective address, or null when the text is no such address. */
export function funnelIdFromUrl(text: string): string | null {
	return funnelUrl.exec(text.trim())?.[1] ?? null;
}

/**
 * Whether the text looks like an address rather than an ID: it holds a slash, as every address
 * does (a scheme's `://` too) and no ID may.
 */
export function looksLikeUrl(text: string): boolean {
	return text.includes('/');
}
