import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { contactEmission } from '../api/contactItem';
import {
	POLLED_EVENTS,
	decodeCursor,
	encodeCursor,
	newestSample,
	pollForNew,
	type PolledEvent,
} from '../api/poll';
import { requireFunnelId } from '../actions/funnelParameter';
import { formatEmission, type OutputFormat } from '../funnel/output';
import { nodeScope } from '../shared/nodeScope';
import { funnelName, funnelPath, listFetcher } from '../transport/perspectiveApiRequest';

/** Where the cursor lives in the node's static data: one string. */
const CURSOR_KEY = 'cursor';

/**
 * Polls still running in this process, by workflow and node. n8n starts the next scheduled poll
 * even when the last one is still reading (waiting out a 429, say); both would start from the
 * same cursor and emit the same contacts, so the later one steps aside.
 */
const running = new Set<string>();

/**
 * One poll: read the funnel's contacts newest first down to what earlier polls handed out, and
 * emit the rest once each. The cursor is written only after everything needed for the items
 * was fetched, so a failed poll changes nothing and the next one retries it.
 */
export async function pollContacts(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const funnelId = requireFunnelId(this.getNodeParameter('funnel', '', { extractValue: true }), this.getNode());
	const event = this.getNodeParameter('event', 'newLead') as PolledEvent;
	if (!Object.prototype.hasOwnProperty.call(POLLED_EVENTS, event)) {
		throw new NodeOperationError(this.getNode(), `Trigger On: "${String(event).slice(0, 40)}" is not an event this trigger offers`, {
			description: 'Choose New Lead under Trigger On; the node may have been saved by a newer version of this package',
		});
	}
	const { outputFormat = 'webhook' } = this.getNodeParameter('options', {}) as { outputFormat?: OutputFormat };
	const { timeField, itemEvent } = POLLED_EVENTS[event];
	const fetchPage = listFetcher(this, funnelPath(funnelId, 'contacts'), { sortField: timeField, sortOrder: -1 });
	const toItems = async (contacts: IDataObject[]) => {
		const name = await funnelName(this, funnelId);
		return this.helpers.returnJsonArray(
			contacts.map((contact) => formatEmission(contactEmission(itemEvent, contact, name), outputFormat) as IDataObject),
		);
	};

	// The editor's test run shows the newest contact and leaves the cursor alone.
	if (this.getMode() === 'manual') {
		const sample = await newestSample(fetchPage, timeField);
		return sample ? [await toItems([sample as IDataObject])] : null;
	}

	const pollKey = nodeScope(this);
	if (running.has(pollKey)) return null;
	running.add(pollKey);
	try {
		const staticData = this.getWorkflowStaticData('node');
		const outcome = await pollForNew(fetchPage, timeField, decodeCursor(staticData[CURSOR_KEY]), `${funnelId}:${event}`);
		const items = outcome.fresh.length > 0 ? await toItems(outcome.fresh as IDataObject[]) : null;
		const encoded = encodeCursor(outcome.cursor);
		if (staticData[CURSOR_KEY] !== encoded) staticData[CURSOR_KEY] = encoded;
		return items ? [items] : null;
	} finally {
		running.delete(pollKey);
	}
}
