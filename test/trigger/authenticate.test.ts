import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';

import { PerspectiveFunnelTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelTrigger.node';
import { presentedToken, tokenStrengthProblem, tokensMatch } from '../../nodes/PerspectiveFunnel/trigger/authenticate';

describe('presentedToken', () => {
	it.each<[string, Record<string, unknown>, Record<string, string | string[]>, string | undefined]>([
		['the query parameter', { token: 'q' }, {}, 'q'],
		['the header', {}, { 'x-perspective-token': 'h' }, 'h'],
		['a bearer token', {}, { authorization: 'Bearer b' }, 'b'],
		['a bearer token, any case', {}, { authorization: 'bearer b' }, 'b'],
		['the query first, then the header, then bearer', { token: 'q' }, { 'x-perspective-token': 'h', authorization: 'Bearer b' }, 'q'],
		['nothing for Basic authorization', {}, { authorization: 'Basic dXNlcjpwdw==' }, undefined],
		['nothing for a repeated parameter', { token: ['a', 'b'] }, {}, undefined],
		['nothing for a repeated header', {}, { 'x-perspective-token': ['a', 'b'] }, undefined],
		['nothing at all', {}, {}, undefined],
	])('reads %s', (_name, query, headers, expected) => {
		expect(presentedToken({ query, headers })).toBe(expected);
	});
});

describe('tokensMatch', () => {
	it('matches only the same token, whatever the lengths', () => {
		expect(tokensMatch('tok_0123456789abcdef', 'tok_0123456789abcdef')).toBe(true);
		expect(tokensMatch('tok_0123456789abcdeX', 'tok_0123456789abcdef')).toBe(false);
		expect(tokensMatch('tok', 'tok_0123456789abcdef')).toBe(false);
		expect(tokensMatch('tok_0123456789abcdef_longer', 'tok_0123456789abcdef')).toBe(false);
	});

	it('never matches an empty expected token', () => {
		expect(tokensMatch('', '')).toBe(false);
	});
});

describe('the credential test', () => {
	const test = new PerspectiveFunnelTrigger().methods.credentialTest.secretTokenStrength;
	const run = (secretToken: string) =>
		test.call({} as ICredentialTestFunctions, { data: { secretToken } } as unknown as ICredentialsDecrypted);

	it('accepts a long URL-safe token', async () => {
		await expect(run('tok_0123456789abcdef')).resolves.toEqual({ status: 'OK', message: expect.any(String) });
	});

	it.each([
		['a short token', 'short', /at least 16/],
		['a token that needs URL encoding', 'tok with spaces&more=1', /URL/],
	])('refuses %s', async (_name, token, message) => {
		await expect(run(token)).resolves.toEqual({ status: 'Error', message: expect.stringMatching(message) });
		expect(tokenStrengthProblem(token)).toMatch(message);
	});
});
