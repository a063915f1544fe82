import type { IWebhookFunctions } from 'n8n-workflow';

import { NOTHING_LOADED, contactIdsOf, decide, preview, type Decision } from '../funnel/decide';
import { MemoryUnavailable, type ContactMemory } from '../funnel/memory';
import { formatEmission, type JsonObject } from '../funnel/output';
import { bodySizeProblem, parseRequestBody } from '../funnel/parse';
import type { ContactEvent, EpochMs } from '../funnel/types';
import { presentedToken, tokensMatch } from './authenticate';
import * as answers from './httpAnswers';
import type { HttpAnswer } from './httpAnswers';
import { readNodeSettings, type NodeSettings } from './settings';

/** What tells the trigger nodes apart: where they keep contacts, which credential holds the token. */
export interface TriggerWiring {
	/** The memory a production request of this node uses (static data, or Redis). */
	memoryFor: (context: IWebhookFunctions) => ContactMemory | Promise<ContactMemory>;
	/** The credential type whose `secretToken` a request must carry when Authentication is Secret Token. */
	tokenCredential: string;
}

/** What the node answers, and the items (if any) that start an execution. */
export interface RequestOutcome {
	answer: HttpAnswer;
	items: JsonObject[];
}

const refused = (answer: HttpAnswer): RequestOutcome => ({ answer, items: [] });

/**
 * One request, start to end: check the token, the query, the content type and the body's size; parse the body
 * into events; decide (production: with the node's memory, which commits all or nothing; the
 * editor's test URL: the request alone); answer. A refused request changes nothing and starts
 * nothing. A memory out of reach answers 503 with Retry-After, anything unexpected 500; the
 * reason goes to n8n's log, never into the answer.
 */
export async function handleRequest(context: IWebhookFunctions, wiring: TriggerWiring, receivedAt: EpochMs): Promise<RequestOutcome> {
	try {
		return await decideRequest(context, wiring, receivedAt);
	} catch (error) {
		if (error instanceof MemoryUnavailable) {
			context.logger.warn(`Perspective Funnel Trigger: ${error.message}; answered 503, nothing was emitted`);
			return refused(answers.memoryUnavailable(error.retryAfterSeconds));
		}
		context.logger.error(`Perspective Funnel Trigger could not handle a request: ${(error as Error).message}`);
		return refused(answers.internalError());
	}
}

async function decideRequest(context: IWebhookFunctions, wiring: TriggerWiring, receivedAt: EpochMs): Promise<RequestOutcome> {
	const refusal =
		(await checkToken(context, wiring.tokenCredential)) ?? checkTriggerQuery(context) ?? checkContentType(context) ?? checkBodySize(context);
	if (refusal) return refused(refusal);

	const parsed = parseRequestBody(context.getBodyData(), receivedAt);
	if (!parsed.ok) return refused(answers.refusal(parsed.problem));

	const settings = readNodeSettings(context);
	const decision =
		context.getMode() === 'manual'
			? preview(parsed.events, settings, receivedAt)
			: await decideWithMemory(context, wiring, parsed.events, settings, receivedAt);
	if (decision.refusal) return refused(answers.refusal(decision.refusal));
	if (decision.unreadable > 0) {
		context.logger.warn(
			`Perspective Funnel Trigger: ${decision.unreadable} stored contact record(s) could not be read and were dropped`,
		);
	}
	// formatEmission is total (pure, over checked data): building items after the commit cannot lose a kept lead
	const items = decision.emissions.map((emission) => formatEmission(emission, settings.outputFormat));
	const { ignored, expired } = decision;
	return { answer: answers.accepted({ received: parsed.events.length, emitted: items.length, ignored, expired }), items };
}

/** Production: the memory loads the contacts the request names, decides with them and commits. */
async function decideWithMemory(
	context: IWebhookFunctions,
	wiring: TriggerWiring,
	events: ContactEvent[],
	settings: NodeSettings,
	now: EpochMs,
): Promise<Decision> {
	const contactIds = contactIdsOf(events, settings);
	if (contactIds.length === 0) return decide(NOTHING_LOADED, events, settings, now);
	const memory = await wiring.memoryFor(context);
	return await memory.transact(contactIds, (loaded) => decide(loaded, events, settings, now));
}

async function checkToken(context: IWebhookFunctions, tokenCredential: string): Promise<HttpAnswer | null> {
	// n8n hands every parameter with its default filled in: Authentication is always set
	if (context.getNodeParameter('authentication') !== 'secretToken') return null;
	const credentials = await context.getCredentials<{ secretToken?: string }>(tokenCredential);
	const presented = presentedToken({
		query: context.getQueryData() as Record<string, unknown>,
		headers: context.getHeaderData(),
	});
	if (presented === undefined) return answers.unauthorized(false);
	return tokensMatch(presented, credentials.secretToken) ? null : answers.unauthorized(true);
}

/** `?trigger=` tells the two webhook URLs apart in Perspective; any other value is a typo. */
function checkTriggerQuery(context: IWebhookFunctions): HttpAnswer | null {
	const { trigger } = context.getQueryData() as Record<string, unknown>;
	if (trigger === undefined || trigger === 'new_lead' || trigger === 'funnel_completed') return null;
	return answers.invalidTriggerQuery();
}

/** A body too large for any request the trigger takes is refused unread (n8n keeps the raw body it parsed). */
function checkBodySize(context: IWebhookFunctions): HttpAnswer | null {
	const { rawBody } = context.getRequestObject() as { rawBody?: { length: number } };
	const problem = typeof rawBody?.length === 'number' ? bodySizeProblem(rawBody.length) : null;
	return problem ? answers.refusal(problem) : null;
}

/**
 * n8n parses a form-encoded body into an object and hands text over as it is; either way the
 * sender meant JSON. A request without a content type is read as n8n read it.
 */
function checkContentType(context: IWebhookFunctions): HttpAnswer | null {
	const type = context.getHeaderData()['content-type'];
	if (typeof type !== 'string' || type.trim() === '') return null;
	return /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type.trim()) ? null : answers.unsupportedContentType();
}
