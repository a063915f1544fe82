import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { simplifiedContact } from '../../api/contactItem';
import { unwrapRecord, type ApiRecord } from '../../api/contract';
import { funnelPath, perspectiveApiRequest } from '../../transport/perspectiveApiRequest';
import { contactIdOf, contactProperties, simplifyProperty } from '../common.description';
import { funnelIdOf } from '../funnelParameter';

export const description = updateDisplayOptions({ show: { resource: ['contact'], operation: ['get'] } }, [
	...contactProperties,
	simplifyProperty,
]);

/** `GET /v1/funnels/{funnelId}/contacts/{contactId}`: one contact, as `{ data }`. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const funnelId = funnelIdOf(this, itemIndex);
	const contactId = contactIdOf(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const body = await perspectiveApiRequest.call(this, 'GET', funnelPath(funnelId, 'contacts', contactId), { itemIndex });
	const contact = (unwrapRecord(body) ?? {}) as ApiRecord;
	return [{ json: (simplify ? simplifiedContact(contact) : contact) as IDataObject }];
}
