import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { simplifiedContact } from '../../api/contactItem';
import { readContactAnswer } from '../../api/contract';
import { funnelPath, perspectiveRecordRequest } from '../../transport/perspectiveApiRequest';
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
	const contact = await perspectiveRecordRequest.call(this, 'GET', funnelPath(funnelId, 'contacts', contactId), (answer) => readContactAnswer(answer, 'Get'), {
		itemIndex,
	});
	return [{ json: (simplify ? simplifiedContact(contact) : contact) as IDataObject }];
}
