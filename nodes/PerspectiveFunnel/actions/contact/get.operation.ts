import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { unwrapRecord } from '../../api/contract';
import { funnelPath, perspectiveApiRequest } from '../../transport/perspectiveApiRequest';
import { contactIdProperty } from '../common.description';
import { funnelIdOf, requiredText } from '../funnelParameter';

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['get'] } }, [contactIdProperty]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const funnelId = funnelIdOf(this, itemIndex);
	const contactId = requiredText(this, 'contactId', 'Contact ID', itemIndex);
	const body = await perspectiveApiRequest.call(this, 'GET', funnelPath(funnelId, 'contacts', contactId), { itemIndex });
	return [{ json: (unwrapRecord(body) ?? {}) as IDataObject }];
}
