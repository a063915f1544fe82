import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { checkAlone, previewBatch } from '../funnel/batch';
import type { ContactProblem } from '../funnel/contact';
import { formatEmission, type JsonObject } from '../funnel/output';
import { parseRequestBody } from '../funnel/parse';
import { readStoredState, storeFor, writeStoredState } from '../funnel/store';
import type { ContactEvent, Emission, EpochMs } from '../funnel/types';
import { nodeScope } from '../shared/nodeScope';
import { presentedToken, tokensMatch } from './authenticate';
import { RequestRejection, invalidTriggerParameter, notJson, unauthorized } from './errors';
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

/**
 * n8n parses a form-encoded body into an object and hands text over as it is; either way the
 * sender meant JSON. A request without a content type is read as n8n read it.
 */
function checkContentType(context: IWebhookFunctions): RequestRejection | null {
	const type = context.getHeaderData()['content-type'];
	if (typeof type !== 'string' || type.trim() === '') return null;
	return /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type.trim()) ? null : notJson();
}

interface Emitted {
	items: JsonObject[];
	expired: number;
	refused?: { event: number; problem: ContactProblem };
}

/**
 * Production: the in-process store and n8n's static data, all or nothing (the items are
 * built and the state written before the store commits). Test URL: the request alone.
 */
function emit(context: IWebhookFunctions, events: ContactEvent[], settings: NodeSettings, now: EpochMs): Emitted {
	const format = (emissions: Emission[]) => emissions.map((emission) => formatEmission(emission, settings.outputFormat));
	if (context.getMode() === 'manual') {
		const refused = checkAlone(events);
		if (refused) return { items: [], expired: 0, refused };
		return { items: format(previewBatch(events, settings)), expired: 0 };
	}
	if (events.length === 0) return { items: [], expired: 0 };
	const staticData = context.getWorkflowStaticData('node');
	const store = storeFor(nodeScope(context));
	let items: JsonObject[] = [];
	const outcome = store.handle(readStoredState(staticData), events, settings, now, (done) => {
		items = format(done.emissions);
		if (done.save) writeStoredState(staticData, done.save);
	});
	if (outcome.refused) return { items: [], expired: 0, refused: outcome.refused };
	if (outcome.save) store.publish(staticData, outcome.save, now);
	if (outcome.unreadable > 0) {
		context.logger.warn(
			`Perspective Funnel Trigger: ${outcome.unreadable} stored contact record(s) could not be read and were dropped`,
		);
	}
	return { items, expired: outcome.expired };
}

/**
 * One request, start to end: authenticate → check → parse → filter → apply and save →
 * answer. A refused request changes nothing and starts nothing.
 */
export async function receive(context: IWebhookFunctions, receivedAt: EpochMs): Promise<Answer> {
	const refusal = (await authenticate(context)) ?? checkTriggerParameter(context) ?? checkContentType(context);
	if (refusal) return refuse(refusal);

	const parsed = parseRequestBody(context.getBodyData(), receivedAt);
	if (!parsed.ok) return refuse(RequestRejection.fromInputProblem(parsed.problem));

	const settings = readNodeSettings(context);
	const accepted =
		settings.funnelNames.size === 0
			? parsed.events
			: parsed.events.filter((event) => settings.funnelNames.has(normaliseFunnelName(event.funnelName)));

	const { items, expired, refused } = emit(context, accepted, settings, receivedAt);
	if (refused) {
		const { status, field, message } = refused.problem;
		const index = parsed.events.indexOf(accepted[refused.event]);
		return refuse(RequestRejection.fromInputProblem({ status, index, field, message }));
	}
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
