import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { checkAlone, previewBatch } from '../funnel/batch';
import type { ContactProblem } from '../funnel/contact';
import { formatEmission, type JsonObject } from '../funnel/output';
import { parseRequestBody } from '../funnel/parse';
import { MemoryUnavailable, type ContactMemory } from '../funnel/memory';
import type { ContactEvent, Emission, EpochMs } from '../funnel/types';
import { presentedToken, tokensMatch } from './authenticate';
import { RequestRejection, invalidTriggerParameter, notJson, unauthorized } from './errors';
import { normaliseFunnelName, readNodeSettings, type NodeSettings } from './settings';

/** What the node answers, and the items (if any) that start an execution. */
export interface Answer {
	status: number;
	headers?: Record<string, string>;
	body: IDataObject;
	items: JsonObject[];
}

/** The memory a production request of this node uses (static data, or Redis). */
export type MemoryFor = (context: IWebhookFunctions) => ContactMemory | Promise<ContactMemory>;

/** What tells the trigger nodes apart: where they keep contacts, which credential holds the token. */
export interface TriggerWiring {
	memoryFor: MemoryFor;
	/** The credential type whose `secretToken` a request must carry when Authentication is Secret Token. */
	tokenCredential: string;
}

const refuse = (rejection: RequestRejection): Answer => ({
	status: rejection.status,
	body: rejection.toBody(),
	items: [],
});

async function authenticate(context: IWebhookFunctions, tokenCredential: string): Promise<RequestRejection | null> {
	// n8n hands every parameter with its default filled in: Authentication is always set
	if (context.getNodeParameter('authentication') !== 'secretToken') return null;
	const credentials = await context.getCredentials<{ secretToken?: string }>(tokenCredential);
	const presented = presentedToken({
		query: context.getQueryData() as Record<string, unknown>,
		headers: context.getHeaderData(),
	});
	if (presented === undefined) return unauthorized(false);
	return tokensMatch(presented, credentials.secretToken) ? null : unauthorized(true);
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
 * Production: the node's memory decides and keeps, all or nothing (the items are built
 * before it commits). Test URL: the request alone, nothing kept.
 */
async function emit(
	context: IWebhookFunctions,
	memoryFor: MemoryFor,
	events: ContactEvent[],
	settings: NodeSettings,
	now: EpochMs,
): Promise<Emitted> {
	const format = (emissions: Emission[]) => emissions.map((emission) => formatEmission(emission, settings.outputFormat));
	if (context.getMode() === 'manual') {
		const refused = checkAlone(events);
		if (refused) return { items: [], expired: 0, refused };
		return { items: format(previewBatch(events, settings)), expired: 0 };
	}
	if (events.length === 0) return { items: [], expired: 0 };
	const memory = await memoryFor(context);
	let items: JsonObject[] = [];
	const decision = await memory.apply(events, settings, now, (decided) => {
		items = format(decided.emissions);
	});
	if (decision.refused) return { items: [], expired: 0, refused: decision.refused };
	if (decision.unreadable > 0) {
		context.logger.warn(
			`Perspective Funnel Trigger: ${decision.unreadable} stored contact record(s) could not be read and were dropped`,
		);
	}
	return { items, expired: decision.expired };
}

/**
 * One request, start to end: authenticate → check → parse → filter → apply and save →
 * answer. A refused request changes nothing and starts nothing.
 */
export async function receive(context: IWebhookFunctions, receivedAt: EpochMs, wiring: TriggerWiring): Promise<Answer> {
	const refusal = (await authenticate(context, wiring.tokenCredential)) ?? checkTriggerParameter(context) ?? checkContentType(context);
	if (refusal) return refuse(refusal);

	const parsed = parseRequestBody(context.getBodyData(), receivedAt);
	if (!parsed.ok) return refuse(RequestRejection.fromInputProblem(parsed.problem));

	const settings = readNodeSettings(context);
	const accepted =
		settings.funnelNames.size === 0
			? parsed.events
			: parsed.events.filter((event) => settings.funnelNames.has(normaliseFunnelName(event.funnelName)));

	const { items, expired, refused } = await emit(context, wiring.memoryFor, accepted, settings, receivedAt);
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

/**
 * A node's whole answer to one request: `receive`, and a 503 with Retry-After when the
 * memory is unavailable, a 500 for anything unexpected (nothing emitted either way). What
 * went wrong goes to n8n's log; the answer names no server and holds no request content or stack trace.
 */
export async function answer(context: IWebhookFunctions, wiring: TriggerWiring, receivedAt: EpochMs): Promise<Answer> {
	try {
		return await receive(context, receivedAt, wiring);
	} catch (error) {
		if (error instanceof MemoryUnavailable) {
			context.logger.warn(`Perspective Funnel Trigger: ${error.message}; answered 503, nothing was emitted`);
			return {
				status: 503,
				headers: { 'Retry-After': String(error.retryAfterSeconds) },
				body: {
					error: 'memory_unavailable',
					message: "The trigger's memory is unavailable; nothing was emitted. Send the request again later.",
				},
				items: [],
			};
		}
		context.logger.error(`Perspective Funnel Trigger could not handle a request: ${(error as Error).message}`);
		return {
			status: 500,
			body: { error: 'internal_error', message: 'The trigger could not handle this request; nothing was emitted.' },
			items: [],
		};
	}
}
