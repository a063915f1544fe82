import fc from 'fast-check';
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
		['a whole bearer token', {}, { authorization: 'Bearer tok_0123456789abcdef' }, 'tok_0123456789abcdef'],
		['a bearer token after several spaces', {}, { authorization: 'Bearer \t  tok' }, 'tok'],
		['a bearer token with whitespace after it', {}, { authorization: 'Bearer tok \t' }, 'tok'],
		['nothing for a scheme that only ends in Bearer', {}, { authorization: 'NotBearer tok' }, undefined],
		['nothing for a bearer value of two words', {}, { authorization: 'Bearer tok extra' }, undefined],
		['nothing for Bearer without a token', {}, { authorization: 'Bearer ' }, undefined],
		['the header when the query parameter is empty', { token: '' }, { 'x-perspective-token': 'h' }, 'h'],
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

	it('matches nothing when the credential holds no token', () => {
		expect(tokensMatch('tok_0123456789abcdef', undefined)).toBe(false);
		expect(tokensMatch('tok_0123456789abcdef', '')).toBe(false);
	});
});

describe('the credential test', () => {
	const test = new PerspectiveFunnelTrigger().methods.credentialTest.secretTokenStrength;
	const run = (secretToken: string) =>
		test.call({} as ICredentialTestFunctions, { data: { secretToken } } as unknown as ICredentialsDecrypted);

	it('accepts a long URL-safe token', async () => {
		await expect(run('tok_0123456789abcdef')).resolves.toEqual({ status: 'OK', message: 'The token is usable' });
	});

	it('refuses a credential that holds no token as too short', async () => {
		const withoutData = await test.call({} as ICredentialTestFunctions, {} as unknown as ICredentialsDecrypted);
		expect(withoutData).toEqual({ status: 'Error', message: 'Use at least 16 characters' });
	});

	it.each([
		['a short token', 'short', /at least 16/],
		['a token that needs URL encoding', 'tok with spaces&more=1', /URL/],
	])('refuses %s', async (_name, token, message) => {
		await expect(run(token)).resolves.toEqual({ status: 'Error', message: expect.stringMatching(message) });
		expect(tokenStrengthProblem(token)).toMatch(message);
	});
});

describe('tokenStrengthProblem', () => {
	const SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-';
	const safeToken = fc.string({ unit: fc.constantFrom(...SAFE), minLength: 16, maxLength: 40 });
	const URL_PROBLEM = 'Use only letters, digits and . _ ~ - so that the token can stand in a URL unencoded';

	it('accepts 16 characters, the minimum, and refuses 15', () => {
		expect(tokenStrengthProblem('a'.repeat(16))).toBeNull();
		expect(tokenStrengthProblem('a'.repeat(15))).toBe('Use at least 16 characters');
	});

	it('accepts every letter, digit and . _ ~ -', () => {
		expect(tokenStrengthProblem('AZaz09._~-AZaz09._~-')).toBeNull();
		fc.assert(fc.property(safeToken, (token) => tokenStrengthProblem(token) === null), { seed: 13 });
	});

	it.each([
		['first', 0],
		['in the middle', 8],
		['last', 16],
	])('refuses a character that needs URL encoding, placed %s', (_name, at) => {
		const safe = 'AZaz09._~-AZaz09';
		for (const unsafe of [' ', '&', '=', '/', '?', '#', '%', '+', ':', '@', 'é']) {
			expect(tokenStrengthProblem(safe.slice(0, at) + unsafe + safe.slice(at))).toBe(URL_PROBLEM);
		}
	});

	it('refuses any character outside the URL-safe ones, wherever it stands', () => {
		const unsafe = fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }).filter((character) => !SAFE.includes(character));
		fc.assert(
			fc.property(safeToken, unsafe, fc.nat(), (token, character, at) => {
				const position = at % (token.length + 1);
				return tokenStrengthProblem(token.slice(0, position) + character + token.slice(position)) === URL_PROBLEM;
			}),
			{ seed: 13 },
		);
	});
});
