import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { funnelPath, perspectiveApiRequest } from '../../transport/perspectiveApiRequest';
import { funnelIdOf, requiredText } from '../funnelParameter';
import { periodProperties, periodQuery } from './period';

/** Which metric an operation reads: the path segment and the parameter naming the metric. */
interface MetricKind {
	operation: 'kpi' | 'chart' | 'insight';
	path: 'kpis' | 'charts' | 'insights';
	/** The parameter that names the metric (`subtype` or `insightId`). */
	which: Pick<INodeProperties, 'displayName' | 'name' | 'description' | 'placeholder'>;
}

/**
 * A metric operation: its parameters (the metric's name and the period) and its run, which
 * reads `GET /v1/funnels/{funnel}/metrics/{path}/{which}` and returns the API's answer as one item.
 */
export function metricOperation({ operation, path, which }: MetricKind) {
	const properties: INodeProperties[] = [
		{ ...which, type: 'string', required: true, default: '' },
		...periodProperties,
	];
	return {
		description: updateDisplayOptions({ show: { resource: ['metric'], operation: [operation] } }, properties),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
			const funnelId = funnelIdOf(this, itemIndex);
			const name = requiredText(this, which.name, which.displayName, itemIndex);
			const qs = periodQuery(this, itemIndex);
			const body = await perspectiveApiRequest.call(this, 'GET', funnelPath(funnelId, 'metrics', path, name), { qs, itemIndex });
			const json: IDataObject =
				typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as IDataObject) : { data: body as IDataObject[] };
			return [{ json }];
		},
	};
}
