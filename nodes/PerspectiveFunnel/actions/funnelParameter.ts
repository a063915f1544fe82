import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/** The funnel ID of the Funnel parameter, whichever way it was given. */
export function funnelIdOf(context: IExecuteFunctions, itemIndex: number): string {
	const id = String(context.getNodeParameter('funnel', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (id === '') {
		throw new NodeOperationError(context.getNode(), 'Funnel: pick a funnel or enter its ID', { itemIndex });
	}
	return id;
}

/** A required text parameter, trimmed; a precise error when it is empty. */
export function requiredText(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (value === '') throw new NodeOperationError(context.getNode(), `${label}: a value is required`, { itemIndex });
	return value;
}
