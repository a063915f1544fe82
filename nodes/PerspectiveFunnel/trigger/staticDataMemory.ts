import type { IWebhookFunctions } from 'n8n-workflow';

import type { ContactMemory, Decision } from '../funnel/memory';
import { readStoredState, storeFor, writeStoredState, type ContactStore, type HandleOutcome } from '../funnel/store';
import type { ContactEvent, EpochMs, TriggerSettings } from '../funnel/types';
import { nodeScope } from '../shared/nodeScope';

const decisionOf = (outcome: HandleOutcome): Decision =>
	outcome.refused
		? { emissions: [], expired: outcome.expired, unreadable: 0, refused: outcome.refused }
		: { emissions: outcome.emissions, expired: outcome.expired, unreadable: outcome.unreadable };

/**
 * The default memory: the node's static data in n8n's database, with this process's
 * `ContactStore` as the authority (see store.ts for why). The state is written into the
 * request's static data before the store commits, so both change or neither does.
 */
export class StaticDataMemory implements ContactMemory {
	private readonly store: ContactStore;

	constructor(
		private readonly staticData: Record<string, unknown>,
		scope: string,
	) {
		this.store = storeFor(scope);
	}

	async apply(
		events: ContactEvent[],
		settings: TriggerSettings,
		now: EpochMs,
		finish: (decision: Decision) => void,
	): Promise<Decision> {
		const outcome = this.store.handle(readStoredState(this.staticData), events, settings, now, (done) => {
			finish(decisionOf(done));
			if (done.save) writeStoredState(this.staticData, done.save);
		});
		if (!outcome.refused && outcome.save) this.store.publish(this.staticData, outcome.save, now);
		return decisionOf(outcome);
	}
}

/** The static-data memory of the node a request reached. */
export const staticDataMemory = (context: IWebhookFunctions): ContactMemory =>
	new StaticDataMemory(context.getWorkflowStaticData('node'), nodeScope(context));
