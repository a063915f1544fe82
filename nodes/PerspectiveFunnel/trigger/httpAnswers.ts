import type { IDataObject } from 'n8n-workflow';

import type { InputProblem, ProblemKind } from '../funnel/types';

/**
 * Every HTTP answer the trigger gives, in one place: the core describes a problem by kind and
 * location, and only this file turns it into a status and a JSON body. A body never holds a
 * stack trace or a submitted value.
 */
export interface HttpAnswer {
	status: number;
	headers?: Record<string, string>;
	body: IDataObject;
}

const REFUSALS: Record<ProblemKind, { status: number; error: string }> = {
	malformed: { status: 400, error: 'invalid_event' },
	tooLarge: { status: 413, error: 'too_large' },
	tooManyEvents: { status: 413, error: 'too_many_events' },
};

/** A refused request: which event and field, and what was expected. */
export function refusal(problem: InputProblem): HttpAnswer {
	const where: string[] = [];
	if (problem.index !== null) where.push(`event ${problem.index}`);
	if (problem.field) where.push(`field "${problem.field}"`);
	const { status, error } = REFUSALS[problem.kind];
	const body: IDataObject = { error, message: where.length > 0 ? `${where.join(', ')}: ${problem.message}` : problem.message };
	if (problem.index !== null) body.index = problem.index;
	if (problem.field) body.field = problem.field;
	return { status, body };
}

export const unauthorized = (presented: boolean): HttpAnswer => ({
	status: 401,
	body: {
		error: 'unauthorized',
		message: presented
			? "The secret token does not match the one in this trigger's credential."
			: 'This trigger requires a secret token: add ?token=<secret> to the URL (or send header x-perspective-token, or Authorization: Bearer <secret>).',
	},
});

export const invalidTriggerQuery = (): HttpAnswer => ({
	status: 400,
	body: { error: 'invalid_query', message: 'query parameter "trigger" must be new_lead or funnel_completed', field: 'trigger' },
});

export const unsupportedContentType = (): HttpAnswer => ({
	status: 415,
	body: { error: 'unsupported_content_type', message: 'send JSON with content-type application/json', field: 'content-type' },
});

/** The request was applied: how many events came, started the workflow, were of other funnels, or too old. */
export const accepted = (counts: { received: number; emitted: number; ignored: number; expired: number }): HttpAnswer => ({
	status: 200,
	body: { ...counts },
});

/** The memory could not be reached or could not commit in time: nothing was kept, send again later. */
export const memoryUnavailable = (retryAfterSeconds: number): HttpAnswer => ({
	status: 503,
	headers: { 'Retry-After': String(retryAfterSeconds) },
	body: {
		error: 'memory_unavailable',
		message: "The trigger's memory is unavailable; nothing was emitted. Send the request again later.",
	},
});

/** Anything unexpected: nothing was emitted, and the reason is in n8n's log, not here. */
export const internalError = (): HttpAnswer => ({
	status: 500,
	body: { error: 'internal_error', message: 'The trigger could not handle this request; nothing was emitted.' },
});
