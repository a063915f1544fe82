import { NodeOperationError, type IExecuteFunctions, type INode, type INodeProperties } from 'n8n-workflow';

import { FUNNEL_URL_PATTERN, funnelIdFromUrl, looksLikeUrl } from '../api/appUrl';
import { pathIdProblem } from '../api/contract';

/**
 * The funnel a node works on: picked from the list of the key's workspaces
 * (`methods/listSearch.ts`), pasted as its Perspective address, or given by ID. The REST API
 * node's, shared with the poll trigger. Adding the URL mode kept the parameter's shape (a
 * resource locator), so saved workflows read as before and no node version was needed for it.
 *
 * The ID mode has no link to the funnel: the one funnel address public sources show
 * (`app.perspective.co/funnel/<id>`) is the one visitors open, so a link would start a visit
 * and count in the funnel's metrics (docs/n8n-review.md, row 4).
 */
export const funnelProperty: INodeProperties = {
	displayName: 'Funnel',
	name: 'funnel',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Perspective funnel',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a funnel...',
			typeOptions: { searchListMethod: 'searchFunnels', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://app.perspective.co/funnel/64f1c0ffee0123456789abcd',
			extractValue: { type: 'regex', regex: FUNNEL_URL_PATTERN },
			validation: [
				{
					type: 'regex',
					properties: {
						regex: FUNNEL_URL_PATTERN,
						errorMessage: 'Not the address of a Perspective funnel: it should hold funnel/ and the 24-character funnel ID',
					},
				},
			],
		},
		idMode('funnel'),
	],
};

/**
 * A parameter the node cannot use, before any request: what happened (the message) and how
 * to fix it (the description), as n8n shows them in the error's title and details.
 */
export function parameterRefusal(node: INode, message: string, description: string, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(node, message, { description, itemIndex });
}

/**
 * The funnel ID the Funnel parameter holds (its value with `extractValue`), or a precise error.
 * A Perspective address is read as its funnel's ID wherever it comes from (an expression in
 * ID mode, say). Checked here too, not only by the editor's regex: an expression bypasses that.
 */
export function requireFunnelId(value: unknown, node: INode, itemIndex?: number): string {
	const given = String(value ?? '').trim();
	if (given === '') {
		throw parameterRefusal(
			node,
			'No funnel was given in the Funnel parameter',
			'Pick a funnel from the list, paste its address from Perspective, or enter its ID. When an expression gives the funnel, check what it returns.',
			itemIndex,
		);
	}
	const id = looksLikeUrl(given) ? funnelIdFromUrl(given) : given;
	if (id === null) {
		throw parameterRefusal(
			node,
			'The Funnel parameter holds an address that is not a Perspective funnel',
			"Paste the address of the funnel from Perspective (it holds funnel/ and the funnel's 24-character ID), or pick the funnel from the list",
			itemIndex,
		);
	}
	const problem = pathIdProblem(id);
	if (problem !== null) {
		throw parameterRefusal(
			node,
			`The funnel ID is not usable: it ${problem === 'a value is required' ? 'is empty' : problem}`,
			'Pick the funnel from the list or paste its address from Perspective, or enter its ID exactly as Perspective gives it, without spaces, slashes or the rest of an address',
			itemIndex,
		);
	}
	return id;
}

/** The funnel ID of the Funnel parameter, whichever way it was given. */
export function funnelIdOf(context: IExecuteFunctions, itemIndex: number): string {
	return requireFunnelId(context.getNodeParameter('funnel', itemIndex, '', { extractValue: true }), context.getNode(), itemIndex);
}

/** A required text parameter (or a resource locator's value), trimmed; a precise error when it is empty. */
export function requiredText(context: IExecuteFunctions, name: string, label: string, itemIndex: number, locator = false): string {
	const raw = locator ? context.getNodeParameter(name, itemIndex, '', { extractValue: true }) : context.getNodeParameter(name, itemIndex, '');
	const value = String(raw ?? '').trim();
	if (value === '') {
		throw parameterRefusal(
			context.getNode(),
			`The ${label} parameter is empty`,
			`Enter a value for ${label}, or check the expression that gives it`,
			itemIndex,
		);
	}
	return value;
}

/**
 * A required ID that goes into the request path: a plain ID, or a precise error before any
 * request (`.` and `..` would change the endpoint; an expression bypasses the editor's checks).
 */
export function requiredId(context: IExecuteFunctions, name: string, label: string, itemIndex: number, locator = false): string {
	const value = requiredText(context, name, label, itemIndex, locator);
	const problem = pathIdProblem(value);
	if (problem !== null) {
		throw parameterRefusal(
			context.getNode(),
			`The ${label} is not usable: it ${problem}`,
			`Enter ${label} exactly as Perspective gives it (a single word of letters, digits, "_" and "-"), without spaces, slashes or the rest of an address`,
			itemIndex,
		);
	}
	return value;
}

/** A resource locator's ID mode: one Perspective ID, letters, digits, - and _ (it goes into the path). */
export function idMode(record: 'funnel' | 'contact') {
	return {
		displayName: 'ID',
		name: 'id',
		type: 'string' as const,
		placeholder: 'e.g. 64f1c0ffee0123456789abcd',
		validation: [
			{
				type: 'regex' as const,
				properties: { regex: '^[A-Za-z0-9_-]+$', errorMessage: `A ${record} ID holds letters, digits, - and _ only` },
			},
		],
	};
}
