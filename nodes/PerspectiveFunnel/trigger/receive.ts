import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { previewBatch } from '../funnel/batch';
import { formatEmission, type JsonObject } from '../funnel/output';
import { parseRequestBody } from '../funnel/parse';
import { readStoredState, storeFor } from '../funnel/store';
import type { ContactEvent, Emission, EpochMs } from '../funnel/types';
import { nodeScope } from '../shared/nodeScope';
import { presentedToken, tokensMatch } from './authenticate';
import { RequestRejection, invalidTriggerParameter, unauthorized } from './errors';
import { normaliseFunnelName, readNodeSettings, type NodeSettings } from './settings';

/** What the node answers, and the items (if any) that start an execution. */
export interface Answer {
	status: number;
	body: IDataObject;
	items: JsonObject[];
}

const refuse = (rejection: RequestRejection): Answer => ({
	status: rejection.status,
	body: rejection.toBody(),
	items: [],
});

async function authenticate(context: IWebhookFunctions): Promise<RequestRejection | null> {
	if (context.getNodeParameter('authentication', 'none') !== 'secretToken') return null;
	const credentials = await context.getCredentials<{ secretToken?: string }>('perspectiveFunnelWebhookApi');
	const presented = presentedToken({
		query: context.getQueryData() as Record<string, unknown>,
		headers: context.getHeaderData(),
	});
	if (presented === undefined) return unauthorized(false);
	return tokensMatch(presented, credentials.secretToken ?? '') ? null : unauthorized(true);
}

function checkTriggerParameter(context: IWebhookFunctions): RequestRejection | null {
	const { trigger } = context.getQueryData() as Record<string, unknown>;
	if (trigger === undefined || trigger === 'new_lead' || trigger === 'funnel_completed') return null;
	return invalidTriggerParameter();
}

/** Production: the in-process store and n8n's static data. Test URL: the request alone. */
function emit(context: IWebhookFunctions, events: ContactEvent[], settings: NodeSettings, now: EpochMs) {
	if (context.getMode() === 'manual') return { emissions: previewBatch(events, settings), expired: 0 };
	if (events.length === 0) return { emissions: [] as Emission[], expired: 0 };
	const staticData = context.getWorkflowStaticData('node');
	const store = storeFor(nodeScope(context));
	const outcome = store.handle(readStoredState(staticData), events, settings, now);
	if (outcome.save) store.publish(staticData, outcome.save, now);
	if (outcome.unreadable > 0) {
		context.logger.warn(
			`Perspective Funnel Trigger: ${outcome.unreadable} stored contact record(s) could not be read and were dropped`,
		);
	}
	return outcome;
}

/**
 * One request, start to end: authenticate → check → parse → filter → apply and save →
 * answer. A refused request changes nothing and starts nothing.
 */
export async function receive(context: IWebhookFunctions, receivedAt: EpochMs): Promise<Answer> {
	const refusal = (await authenticate(context)) ?? checkTriggerParameter(context);
	if (refusal) return refuse(refusal);

	const parsed = parseRequestBody(context.getBodyData(), receivedAt);
	if (!parsed.ok) return refuse(RequestRejection.fromInputProblem(parsed.problem));

	const settings = readNodeSettings(context);
	const accepted =
		settings.funnelNames.size === 0
			? parsed.events
			: parsed.events.filter((event) => settings.funnelNames.has(normaliseFunnelName(event.funnelName)));

	const { emissions, expired } = emit(context, accepted, settings, receivedAt);
	const items = emissions.map((emission) => formatEmission(emission, settings.outputFormat));
	return {
		status: 200,
		body: {
			received: parsed.events.length,
			emitted: items.length,
			ignored: parsed.events.length - accepted.length,
			expired,
		},
		items,
	};
}
