/**
 * How the trigger reads its node parameters (the Options Retention, Max Contacts and Funnel
 * Names), observed through its webhook: a value it cannot use falls back to the default, so
 * that deduplication is never turned off by a typo or an expression.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { optionsProperty } from '../../nodes/PerspectiveFunnel/trigger/description';

import { readNodeSettings } from '../../nodes/PerspectiveFunnel/trigger/settings';
import { fakeWebhookContext } from '../helpers/fakeWebhookContext';
import { liveNode, sendToTrigger } from '../helpers/sendToTrigger';

const DAY = 86_400_000;

/** A visitor of `funnelName` who leaves an email `daysAgo` days ago: a New Lead. */
const lead = (contactId: string, { daysAgo = 0.01, funnelName = 'Solar check' } = {}) => ({
	type: 'response',
	contactId,
	funnelName,
	timestamp: new Date(Date.now() - daysAgo * DAY).toISOString(),
	answers: [{ id: 'email', value: `${contactId}@example.com` }],
});

/** What becomes of a lead `daysAgo` days old with Retention (Days) set to `retentionDays`. */
async function leadAged(daysAgo: number, retentionDays: unknown): Promise<'emitted' | 'expired'> {
	const { recorded } = await sendToTrigger({ body: lead('c_aged', { daysAgo }) }, liveNode({ parameters: { options: { retentionDays } } }));
	const { emitted, expired } = recorded.json as IDataObject;
	expect(Number(emitted) + Number(expired)).toBe(1);
	return emitted === 1 ? 'emitted' : 'expired';
}

/** Whether the first of three contacts is forgotten (so emits again) with Max Contacts set to `maxContacts`. */
async function firstOfThreeForgotten(maxContacts: unknown): Promise<boolean> {
	const node = liveNode({ parameters: { options: { maxContacts } } });
	for (const [index, id] of ['a', 'b', 'c'].entries()) await sendToTrigger({ body: lead(id, { daysAgo: (10 - index) / 1440 }) }, node);
	const again = await sendToTrigger({ body: lead('a') }, node);
	return again.items.length === 1;
}

describe('Retention (Days)', () => {
	it('is 30 days when not set', async () => {
		expect([await leadAged(29, undefined), await leadAged(31, undefined)]).toEqual(['emitted', 'expired']);
	});

	it('is read from a number', async () => {
		expect([await leadAged(9, 10), await leadAged(11, 10)]).toEqual(['emitted', 'expired']);
	});

	it.each(['10', ' 10 ', '\t10\n'])('is read from digits %p, as an expression gives them, spaces around allowed', async (retentionDays) => {
		expect([await leadAged(9, retentionDays), await leadAged(11, retentionDays)]).toEqual(['emitted', 'expired']);
	});

	it.each([10.75, '10.75', '10.'])('drops the fraction of %p: whole days only', async (retentionDays) => {
		expect(await leadAged(10.5, retentionDays)).toBe('expired');
	});

	it.each([1, '1', 1.9])('counts %p as 1 day, the minimum', async (retentionDays) => {
		expect([await leadAged(0.9, retentionDays), await leadAged(1.1, retentionDays)]).toEqual(['emitted', 'expired']);
	});

	it.each<[string, unknown]>([
		['a sign', '+10'],
		['an exponent', '1e1'],
		['hexadecimal', '0xA'],
		['words after the digits', '10 days'],
		['an empty text', ''],
		['only spaces', '  '],
		['zero', 0],
		['less than 1', 0.5],
		['a negative number', -10],
		['infinity', Number.POSITIVE_INFINITY],
		['NaN', Number.NaN],
		['true', true],
		['null', null],
		['a list', [10]],
	])('falls back to 30 days for %s (%p)', async (_name, retentionDays) => {
		expect([await leadAged(11, retentionDays), await leadAged(31, retentionDays)]).toEqual(['emitted', 'expired']);
	});

	it('is at most 3,650 days: 3,650 is read as set', async () => {
		expect([await leadAged(3_649.9, 3_650), await leadAged(3_650.1, 3_650)]).toEqual(['emitted', 'expired']);
	});

	it.each<[string, unknown]>([
		['3,651', 3_651],
		['1e12 (an expression can give it)', 1e12],
		['digits for 10^15', '1000000000000000'],
	])('counts a larger value, %s, as 3,650 days, the bound (not the default)', async (_name, retentionDays) => {
		expect([await leadAged(31, retentionDays), await leadAged(3_649.9, retentionDays), await leadAged(3_650.1, retentionDays)]).toEqual([
			'emitted',
			'emitted',
			'expired',
		]);
	});
});

describe('Max Contacts', () => {
	it.each<[unknown, boolean]>([
		[undefined, false],
		[3, false],
		[2, true],
		['2', true],
		[2.9, true],
		[1, true],
		['+2', false],
		[0, false],
	])('set to %p, forgets the least recently seen of three contacts: %p', async (maxContacts, forgotten) => {
		expect(await firstOfThreeForgotten(maxContacts)).toBe(forgotten);
	});
});

describe('the bounds, as both triggers read them', () => {
	const settingsOf = (options: Record<string, unknown>) => {
		const { retentionDays, maxContacts } = readNodeSettings(fakeWebhookContext({ body: {} }, { parameters: { options: options as IDataObject } }).context);
		return { retentionDays, maxContacts };
	};

	it.each<[unknown, number]>([
		[3_650, 3_650],
		[3_650.9, 3_650],
		[3_651, 3_650],
		[1e12, 3_650],
		[Number.MAX_VALUE, 3_650],
		['3651', 3_650],
	])('Retention (Days) %p is read as %p', (retentionDays, expected) => {
		expect(settingsOf({ retentionDays }).retentionDays).toBe(expected);
	});

	it.each<[unknown, number]>([
		[1_000_000, 1_000_000],
		[1_000_000.5, 1_000_000],
		[1_000_001, 1_000_000],
		[1e12, 1_000_000],
		[Number.MAX_VALUE, 1_000_000],
		['99999999999', 1_000_000],
	])('Max Contacts %p is read as %p', (maxContacts, expected) => {
		expect(settingsOf({ maxContacts }).maxContacts).toBe(expected);
	});

	it('the node parameters say so too', () => {
		const options = (optionsProperty.options ?? []) as INodeProperties[];
		const bounds = Object.fromEntries(options.filter((option) => option.type === 'number').map((option) => [option.name, option.typeOptions?.maxValue]));
		expect(bounds).toEqual({ maxContacts: 1_000_000, retentionDays: 3_650 });
	});
});

describe('Funnel Names', () => {
	/** How many of a lead of each funnel the node emits. */
	async function emittedOf(options: IDataObject, funnels: string[]): Promise<number[]> {
		const node = liveNode({ parameters: { options } });
		const counts = [];
		for (const [index, funnelName] of funnels.entries()) counts.push((await sendToTrigger({ body: lead(`c_${index}`, { funnelName }) }, node)).items.length);
		return counts;
	}

	it.each<[string, IDataObject]>([
		['an empty text (version 1)', { funnelNames: '' }],
		['a text of commas and spaces (version 1)', { funnelNames: ' , ,' }],
		['an empty list (version 1.1)', { funnelNameList: [] }],
		['a list of blank entries (version 1.1)', { funnelNameList: ['', '  '] }],
	])('accept every funnel when they are %s', async (_name, options) => {
		expect(await emittedOf(options, ['Solar check', 'Roof quiz'])).toEqual([1, 1]);
	});

	it('skip list entries that are not text', async () => {
		expect(await emittedOf({ funnelNameList: [42, null, { name: 'Roof quiz' }, 'Solar check'] }, ['Solar check', 'Roof quiz'])).toEqual([1, 0]);
	});

	it('tell ß apart from ss, as lower case does', async () => {
		expect(await emittedOf({ funnelNameList: ['Straße'] }, ['STRASSE', 'Strasse', 'STRAßE'])).toEqual([0, 0, 1]);
	});
});
