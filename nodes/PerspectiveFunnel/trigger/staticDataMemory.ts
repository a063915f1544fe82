import type { IWebhookFunctions } from 'n8n-workflow';

import type { Decision, LoadedContacts } from '../funnel/decide';
import type { ContactMemory } from '../funnel/memory';
import type { EpochMs } from '../funnel/types';
import { nodeScope } from '../shared/nodeScope';
import { storeFor, type ContactStore } from './contactStore';

/**
 * The default memory: the node's static data in n8n's database, with this process's
 * `ContactStore` as the authority (contactStore.ts says why). One request: the store merges the
 * copy n8n loaded, decides, writes the new state into this request's static data (n8n saves it
 * after the node returns) and commits, in one synchronous step; then it writes the state into
 * the static data of recent requests whose save may still be pending.
 */
export class StaticDataMemory implements ContactMemory {
	constructor(
		private readonly staticData: Record<string, unknown>,
		private readonly store: ContactStore,
		private readonly now: () => EpochMs = Date.now,
	) {}

	async transact(contactIds: string[], decide: (loaded: LoadedContacts) => Decision): Promise<Decision> {
		return this.store.transact(this.staticData, contactIds, decide, this.now());
	}
}

/** The static-data memory of the node a request reached. */
export const staticDataMemory = (context: IWebhookFunctions): ContactMemory =>
	new StaticDataMemory(context.getWorkflowStaticData('node'), storeFor(nodeScope(context)));
