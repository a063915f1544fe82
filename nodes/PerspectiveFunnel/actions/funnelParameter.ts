import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { pathIdProblem } from '../api/contract';
import { requireFunnelId } from '../shared/funnel';

/** The funnel ID of the Funnel parameter, whichever way it was given. */
export function funnelIdOf(context: IExecuteFunctions, itemIndex: number): string {
	return requireFunnelId(context.getNodeParameter('funnel', itemIndex, '', { extractValue: true }), context.getNode(), itemIndex);
}

/** A required text parameter, trimmed; a precise error when it is empty. */
export function requiredText(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (value === '') throw new NodeOperationError(context.getNode(), `${label}: a value is required`, { itemIndex });
	return value;
}

/**
 * A required ID that goes into the request path: a plain ID, or a precise error before any
 * request (`.` and `..` would change the endpoint; an expression bypasses the editor's checks).
 */
export function requiredId(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = requiredText(context, name, label, itemIndex);
	const problem = pathIdProblem(value);
	if (problem !== null) throw new NodeOperationError(context.getNode(), `${label}: the ID ${problem}`, { itemIndex });
	return value;
}
