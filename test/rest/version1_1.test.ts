/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test and dev tooling: runs in Node beside n8n, never inside it, and is not published */
/**
 * Issue 19: the Perspective Funnel node's version 1.1 (Contact as a resource locator with its
 * list, Sort in its own collection, the time zone and the field picked from lists) and the
 * funnel's address mode, over real HTTP against the contract server. Version 1 nodes keep
 * their parameters; each change is run on both versions where both have it.
 */
import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { PerspectiveFunnel } from '../../nodes/PerspectiveFunnel/PerspectiveFunnel.node';
import { PerspectiveFunnelPollTrigger } from '../../nodes/PerspectiveFunnel/PerspectiveFunnelPollTrigger.node';
import { FUNNEL_URL_PATTERN, funnelIdFromUrl } from '../../nodes/PerspectiveFunnel/api/appUrl';
import { CONTACT_PAGES_PER_SEARCH, contactLabel } from '../../nodes/PerspectiveFunnel/methods/listSearch';
import { PerspectiveApiModel, apiContact, startPerspectiveApi, type FunnelData } from '../contract/perspectiveApiServer';
import { fakeApiContext, type ParameterValue } from '../helpers/fakeApiContext';

const KEY = 'k_version_1_1_0123456789';
const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const FUNNEL_ID = '64f1c0ffee0123456789abcd';
const FUNNEL = { __rl: true, mode: 'id', value: FUNNEL_ID };
const PERIOD = { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' };

let model: PerspectiveApiModel;
let funnel: FunnelData;
let server: { url: string; close: () => Promise<void> };

beforeEach(async () => {
	model = new PerspectiveApiModel(KEY);
	funnel = model.addFunnel({ id: 'w1', name: 'Marketing' }, { id: FUNNEL_ID, name: 'Solar check' });
	for (let index = 0; index < 250; index++) funnel.contacts.push(apiContact(`c${index}`, T0 + index * 1000));
	funnel.contacts.push(apiContact('ada', T0 - 1000, { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' }));
	server = await startPerspectiveApi(model);
});

afterEach(async () => {
	await server.close();
});

async function run(parameters: Record<string, ParameterValue>, typeVersion = 1.1) {
	const { context, http } = fakeApiContext({ credentials: { apiKey: KEY, baseUrl: server.url }, parameters, typeVersion }, 'execute');
	const [output] = await new PerspectiveFunnel().execute.call(context);
	return { items: output.map((item) => item.json), http };
}

/** The editor's list of contacts, as n8n calls it: the node's parameters, a filter, a page token. */
function searchContacts(parameters: Record<string, ParameterValue>, filter?: string, token?: string) {
	const { context, http } = fakeApiContext({ credentials: { apiKey: KEY, baseUrl: server.url }, parameters, typeVersion: 1.1 }, 'poll');
	const search = new PerspectiveFunnel().methods.listSearch.searchContacts;
	return { http, result: search.call(context as never, filter, token) };
}

const description = new PerspectiveFunnel().description;
const propertiesFor = (version: number, name: string) =>
	description.properties.filter(
		(property) => property.name === name && (property.displayOptions?.show?.['@version'] ?? [version]).includes(version),
	);

describe('a Perspective address pasted into the Funnel parameter', () => {
	it.each([
		['the address public sources show', `https://app.perspective.co/funnel/${FUNNEL_ID}`],
		['with a language and a page after the ID', `https://app.perspective.co/en/funnel/${FUNNEL_ID}/editor?tab=crm`],
		['with funnels/ and a fragment', `https://app.perspective.co/funnels/${FUNNEL_ID}#contacts`],
		['upper-case hex, surrounded by spaces', `  https://app.perspective.co/funnel/${FUNNEL_ID.toUpperCase()}  `],
	])('reads %s as its funnel ID', (_, url) => {
		expect(funnelIdFromUrl(url)?.toLowerCase()).toBe(FUNNEL_ID);
		// n8n's extractValue takes the one group of the mode's regex
		const match = new RegExp(FUNNEL_URL_PATTERN).exec(url.trim());
		expect(match).toHaveLength(2);
	});

	it.each([
		['another host that names perspective.co in its path', `https://evil.example/perspective.co/funnel/${FUNNEL_ID}`],
		['a host that only starts like perspective.co', `https://perspective.co.example.com/funnel/${FUNNEL_ID}`],
		['an address without a funnel ID', 'https://www.perspective.co/funnel'],
		['an ID that is not 24 hex digits', 'https://app.perspective.co/funnel/f1'],
		['no address at all', FUNNEL_ID],
	])('refuses %s', (_, text) => {
		expect(funnelIdFromUrl(text)).toBeNull();
		expect(new RegExp(FUNNEL_URL_PATTERN).test(text)).toBe(false);
	});

	it('offers the address mode between the list and the ID, on the REST node and the poll trigger', () => {
		for (const node of [new PerspectiveFunnel(), new PerspectiveFunnelPollTrigger()]) {
			const locator = node.description.properties.find((property) => property.name === 'funnel')!;
			expect(locator.modes?.map((mode) => mode.name)).toEqual(['list', 'url', 'id']);
			expect(locator.modes?.[1].extractValue).toEqual({ type: 'regex', regex: FUNNEL_URL_PATTERN });
		}
	});

	it('runs against the funnel of the address, whichever mode holds it (an expression in ID mode too)', async () => {
		for (const mode of ['url', 'id']) {
			const { http } = await run({
				resource: 'contact',
				operation: 'get',
				funnel: { __rl: true, mode, value: `https://app.perspective.co/funnel/${FUNNEL_ID}` },
				contactId: { __rl: true, mode: 'id', value: 'ada' },
			});
			expect(http.map((request) => request.url)).toEqual([`/v1/funnels/${FUNNEL_ID}/contacts/ada`]);
		}
	});

	it('refuses an address that is not a funnel, before any request, saying what to paste', async () => {
		const failure = await run({
			resource: 'contact',
			operation: 'get',
			funnel: { __rl: true, mode: 'id', value: 'https://app.perspective.co/settings' },
			contactId: 'ada',
		}).catch((error: unknown) => error);
		expect(failure).toMatchObject({
			message: 'The Funnel parameter holds an address that is not a Perspective funnel',
			description: expect.stringContaining("it holds funnel/ and the funnel's 24-character ID"),
		});
		expect(model.requests).toHaveLength(0);
	});

	it('reads text with a slash as an address, with or without a scheme, never as an ID', async () => {
		const failure = await run({
			resource: 'contact',
			operation: 'get',
			funnel: { __rl: true, mode: 'id', value: `app.perspective.co/funnel/${FUNNEL_ID}` },
			contactId: 'ada',
		}).catch((error: unknown) => error);
		expect(failure).toMatchObject({ message: 'The Funnel parameter holds an address that is not a Perspective funnel' });
		expect(model.requests).toHaveLength(0);
	});
});

describe('Contact as a resource locator (1.1)', () => {
	it('is a list or an ID on 1.1 and stays a plain string on 1, under the same name', () => {
		const [v1] = propertiesFor(1, 'contactId');
		const [v11] = propertiesFor(1.1, 'contactId');
		expect(v1).toMatchObject({ displayName: 'Contact ID', type: 'string' });
		expect(v11).toMatchObject({ displayName: 'Contact', type: 'resourceLocator' });
		expect(v11.modes?.map((mode) => [mode.name, mode.typeOptions?.searchListMethod])).toEqual([
			['list', 'searchContacts'],
			['id', undefined],
		]);
		expect(description).toMatchObject({ version: [1, 1.1], defaultVersion: 1.1 });
	});

	it('Get and Update Field read the contact from either shape', async () => {
		const [one] = (await run({ resource: 'contact', operation: 'get', funnel: FUNNEL, contactId: { __rl: true, mode: 'list', value: 'ada' } })).items;
		expect(one).toMatchObject({ id: 'ada', email: 'ada@example.com' });
		const [old] = (await run({ resource: 'contact', operation: 'get', funnel: FUNNEL, contactId: 'ada' }, 1)).items;
		expect(old).toEqual(one);
		await run({ resource: 'contact', operation: 'updateField', funnel: FUNNEL, contactId: { __rl: true, mode: 'id', value: 'ada' }, field: 'city', value: 'Hamburg' });
		expect(model.requests.at(-1)).toMatchObject({ method: 'PUT', path: `/v1/funnels/${FUNNEL_ID}/contacts/ada/values`, body: { fieldName: 'city' } });
	});

	it('an empty contact is refused with the parameter named as the version shows it', async () => {
		await expect(run({ resource: 'contact', operation: 'get', funnel: FUNNEL, contactId: { __rl: true, mode: 'list', value: '' } })).rejects.toMatchObject({
			message: 'The Contact parameter is empty',
			description: 'Enter a value for Contact, or check the expression that gives it',
		});
		await expect(run({ resource: 'contact', operation: 'get', funnel: FUNNEL, contactId: '' }, 1)).rejects.toMatchObject({
			message: 'The Contact ID parameter is empty',
		});
		expect(model.requests).toHaveLength(0);
	});
});

describe("the list of a funnel's contacts", () => {
	it('lists the newest leads first, one page of 100, and hands the next page over when scrolled', async () => {
		const first = searchContacts({ funnel: FUNNEL });
		const page0 = await first.result;
		expect(page0.results).toHaveLength(100);
		expect(page0.results[0]).toEqual({ name: 'Name c249 (c249@example.com)', value: 'c249' });
		expect(page0.paginationToken).toBe('1');
		expect(first.http.map((request) => request.url)).toEqual([
			`/v1/funnels/${FUNNEL_ID}/contacts?sortField=ps_converted_at&sortOrder=-1&page=0&limit=100`,
		]);
		const page2 = await searchContacts({ funnel: FUNNEL }, undefined, '2').result;
		expect(page2.results.map((result) => result.value)).toEqual([...Array.from({ length: 50 }, (_, index) => `c${49 - index}`), 'ada']);
		expect(page2.paginationToken).toBeUndefined();
	});

	it('finds a contact by name, email or ID, paging through the funnel until it does', async () => {
		const byName = searchContacts({ funnel: FUNNEL }, 'lovelace');
		expect((await byName.result).results).toEqual([{ name: 'Ada Lovelace (ada@example.com)', value: 'ada' }]);
		expect(byName.http).toHaveLength(3);
		expect((await searchContacts({ funnel: FUNNEL }, 'ADA@EXAMPLE').result).results.map((result) => result.value)).toEqual(['ada']);
		expect((await searchContacts({ funnel: FUNNEL }, 'c12').result).results.map((result) => result.value)).toEqual([
			'c129', 'c128', 'c127', 'c126', 'c125', 'c124', 'c123', 'c122', 'c121', 'c120', 'c12',
		]);
	});

	it(`reads at most ${CONTACT_PAGES_PER_SEARCH} pages per call while it looks, then hands over where it stopped`, async () => {
		for (let index = 250; index < 1000; index++) funnel.contacts.push(apiContact(`d${index}`, T0 + index * 1000));
		const search = searchContacts({ funnel: FUNNEL }, 'nobody');
		const found = await search.result;
		expect(found).toEqual({ results: [], paginationToken: String(CONTACT_PAGES_PER_SEARCH) });
		expect(search.http).toHaveLength(CONTACT_PAGES_PER_SEARCH);
	});

	it('reads the funnel from its address too, and asks for the funnel first when there is none', async () => {
		const viaUrl = await searchContacts({ funnel: { __rl: true, mode: 'url', value: `https://app.perspective.co/funnel/${FUNNEL_ID}` } }).result;
		expect(viaUrl.results).toHaveLength(100);
		await expect(searchContacts({ funnel: { __rl: true, mode: 'list', value: '' } }).result).rejects.toMatchObject({
			message: 'No funnel was chosen, so there are no contacts to list',
			description: 'Choose the Funnel first, then open the list of contacts again',
		});
	});

	it('names a contact by what it has: name and email or phone, either alone, else its ID', () => {
		expect(contactLabel({ id: 'x', firstName: 'Ada', phone: '+49 1' })).toBe('Ada (+49 1)');
		expect(contactLabel({ id: 'x', email: 'a@example.com' })).toBe('a@example.com');
		expect(contactLabel({ id: 'x', lastName: 'Lovelace' })).toBe('Lovelace');
		expect(contactLabel({ id: 'x' })).toBe('x');
	});
});

describe('Sort in its own collection (1.1)', () => {
	it('sits below the other fields on 1.1, while version 1 keeps it inside Options', () => {
		const sort = propertiesFor(1.1, 'sort').find((property) => property.displayOptions?.show?.operation?.includes('getAll'))!;
		expect(sort).toMatchObject({ type: 'fixedCollection', placeholder: 'Add Sort Rule' });
		const getAll = description.properties.filter(
			(property) => property.displayOptions?.show?.resource?.includes('contact') && property.displayOptions?.show?.operation?.includes('getAll'),
		);
		const shown = getAll.filter((property) => (property.displayOptions?.show?.['@version'] ?? [1.1]).includes(1.1));
		expect(shown.at(-1)?.name).toBe('sort');
		const v1Options = propertiesFor(1, 'options').find((property) => property.displayOptions?.show?.operation?.includes('getAll'))!;
		expect((v1Options.options as INodeProperties[]).map((option) => option.name)).toEqual(['sortField', 'sortOrder']);
		expect(propertiesFor(1.1, 'options').some((property) => property.displayOptions?.show?.operation?.includes('getAll'))).toBe(false);
	});

	it('sorts by the rule on 1.1 and by Options on 1, with the same request', async () => {
		const rule = { sortField: 'email', sortOrder: 1 };
		const { http } = await run({ resource: 'contact', operation: 'getAll', funnel: FUNNEL, returnAll: false, limit: 2, sort: { rule } });
		const { http: old } = await run({ resource: 'contact', operation: 'getAll', funnel: FUNNEL, returnAll: false, limit: 2, options: rule }, 1);
		expect(http[0].url).toBe(`/v1/funnels/${FUNNEL_ID}/contacts?sortField=email&sortOrder=1&page=0&limit=2`);
		expect(old[0].url).toBe(http[0].url);
		const { http: plain } = await run({ resource: 'contact', operation: 'getAll', funnel: FUNNEL, returnAll: false, limit: 2, sort: {} });
		expect(plain[0].url).toContain('sortField=ps_converted_at&sortOrder=-1');
	});
});

describe('Time Zone picked from a list (1.1)', () => {
	const zone = () => {
		const options = propertiesFor(1.1, 'options').find((property) => property.displayOptions?.show?.operation?.includes('kpi'))!;
		return (options.options as INodeProperties[]).find((option) => option.name === 'offset')!;
	};

	it("names each offset as clocks do and keeps the API's minutes as its value", () => {
		const choices = zone().options as INodePropertyOptions[];
		expect(zone()).toMatchObject({ displayName: 'Time Zone', type: 'options', default: 0 });
		expect(choices[0]).toEqual({ name: 'UTC-12:00', value: -720 });
		expect(choices.find((choice) => choice.value === 0)?.name).toBe('UTC');
		expect(choices.find((choice) => choice.value === 330)?.name).toBe('UTC+05:30');
		expect(choices.find((choice) => choice.value === 345)?.name).toBe('UTC+05:45');
		expect(choices.at(-1)).toEqual({ name: 'UTC+14:00', value: 840 });
		expect(choices.map((choice) => choice.value)).toEqual([...choices.map((choice) => choice.value as number)].sort((a, b) => a - b));
	});

	it('sends the minutes as before', async () => {
		await run({ resource: 'metric', operation: 'kpi', funnel: FUNNEL, subtype: 'kpi_new_contacts', ...PERIOD, options: { offset: 330 } });
		expect(model.requests.at(-1)).toMatchObject({ query: { ...PERIOD, offset: '330' }, status: 200 });
	});
});

describe('Field picked from a list (1.1)', () => {
	it('offers the contact fields by their names in Perspective, and Custom Field for any other', () => {
		const [field] = propertiesFor(1.1, 'field');
		const names = (field.options as INodePropertyOptions[]).map((option) => `${option.name}=${String(option.value)}`);
		expect(names).toEqual(expect.arrayContaining(['First Name=firstName', 'Postal Code=postalCode', 'Status=status', 'Custom Field=__custom']));
		const custom = propertiesFor(1.1, 'fieldName')[0];
		expect(custom).toMatchObject({ displayName: 'Custom Field Name', displayOptions: { show: { field: ['__custom'] } } });
		expect(propertiesFor(1, 'fieldName')[0]).toMatchObject({ displayName: 'Field Name', type: 'string' });
	});

	it.each([
		['a listed field', { field: 'firstName' }, 'firstName'],
		['a custom field', { field: '__custom', fieldName: ' quiz_answer ' }, 'quiz_answer'],
	])('sends %s by the name the API knows', async (_, parameters, fieldName) => {
		await run({ resource: 'contact', operation: 'updateField', funnel: FUNNEL, contactId: 'ada', value: 'x', ...parameters } as Record<string, ParameterValue>);
		expect((model.requests.at(-1)?.body as IDataObject).fieldName).toBe(fieldName);
	});

	it('refuses a custom name the API would refuse, naming the parameter, before any request', async () => {
		await expect(
			run({ resource: 'contact', operation: 'updateField', funnel: FUNNEL, contactId: 'ada', field: '__custom', fieldName: 'address.city', value: 'x' }),
		).rejects.toMatchObject({
			message: 'Custom Field Name: "address.city" names an address part by its path',
			description: 'Address parts are set by their own name: use "city" instead of "address.city"',
		});
		expect(model.requests).toHaveLength(0);
	});
});
