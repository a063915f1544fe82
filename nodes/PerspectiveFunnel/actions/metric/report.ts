import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { funnelPath, perspectiveApiRequest } from '../../transport/perspectiveApiRequest';
import { funnelIdOf, requiredText } from '../funnelParameter';
import { periodQuery } from './period';

/** Reads one metric (`kpis`, `charts` or `insights` + the name in `parameter`) for a period. */
export async function fetchMetric(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: 'kpis' | 'charts' | 'insights',
	parameter: { name: string; label: string },
): Promise<INodeExecutionData[]> {
	const funnelId = funnelIdOf(context, itemIndex);
	const which = requiredText(context, parameter.name, parameter.label, itemIndex);
	const qs = periodQuery(context, itemIndex);
	const body = await perspectiveApiRequest.call(context, 'GET', funnelPath(funnelId, 'metrics', kind, which), { qs, itemIndex });
	const json: IDataObject =
		typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as IDataObject) : { data: body as IDataObject[] };
	return [{ json }];
}
