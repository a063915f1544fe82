import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { funnelPath, perspectiveApiRequest } from '../../transport/perspectiveApiRequest';
import { funnelIdOf, parameterRefusal, requiredId } from '../funnelParameter';
import { V1, V1_1 } from '../common.description';
import { offsetOption, periodProperties, periodQuery, timeZoneOption } from './period';

/** Which metric an operation reads: the path segment, the parameter naming the metric, extras. */
interface MetricKind {
	operation: 'kpi' | 'chart' | 'insight';
	path: 'kpis' | 'charts' | 'insights';
	/** The parameter that names the metric (`subtype` or `insightId`). */
	which: INodeProperties & { name: 'subtype' | 'insightId' };
	/** More options of this operation, besides the offset. */
	options?: INodeProperties[];
	/** Extra query parameters read from the options, or a refusal before any request. */
	extraQuery?: (context: IExecuteFunctions, itemIndex: number, which: string, options: IDataObject) => IDataObject;
}

/**
 * A metric operation: its parameters (the metric's name and the period) and its run, which
 * reads `GET /v1/funnels/{funnel}/metrics/{path}/{which}?from&to[&offset]` and returns the
 * API's `data` as one item (a list of points is returned as `{ data: [...] }`).
 */
export function metricOperation({ operation, path, which, options = [], extraQuery }: MetricKind) {
	const properties: INodeProperties[] = [
		which,
		...periodProperties,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: [...options, offsetOption],
			displayOptions: V1,
		},
		{
			// From version 1.1 the offset is a time zone picked from a list (same name, same minutes).
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: [...options, timeZoneOption],
			displayOptions: V1_1,
		},
	];
	return {
		description: updateDisplayOptions({ show: { resource: ['metric'], operation: [operation] } }, properties),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
			const funnelId = funnelIdOf(this, itemIndex);
			const name = requiredId(this, which.name, which.displayName, itemIndex);
			const qs = periodQuery(this, itemIndex);
			const given = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			Object.assign(qs, extraQuery?.(this, itemIndex, name, given));
			const body = await perspectiveApiRequest.call(this, 'GET', funnelPath(funnelId, 'metrics', path, name), { qs, itemIndex });
			const data = typeof body === 'object' && body !== null && 'data' in body ? (body as IDataObject).data : body;
			const json: IDataObject =
				typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as IDataObject) : { data: data as IDataObject[] };
			return [{ json }];
		},
	};
}

/** A refusal naming the parameter, before any request: what happened, and how to fix it. */
export function refuseMetricOption(context: IExecuteFunctions, itemIndex: number, message: string, fix: string): never {
	throw parameterRefusal(context.getNode(), message, fix, itemIndex);
}
