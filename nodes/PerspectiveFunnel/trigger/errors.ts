import type { InputProblem } from '../funnel/parse';

/** A request the trigger refuses: an HTTP status and a JSON body, and nothing else happens. */
export class RequestRejection {
	constructor(
		readonly status: number,
		readonly code: string,
		readonly message: string,
		readonly location: { index: number | null; field: string } | null = null,
	) {}

	static fromInputProblem(problem: InputProblem): RequestRejection {
		let code = 'invalid_event';
		if (problem.status === 413) code = problem.index === null ? 'too_many_events' : 'too_large';
		const where: string[] = [];
		if (problem.index !== null) where.push(`event ${problem.index}`);
		if (problem.field) where.push(`field "${problem.field}"`);
		const message = where.length > 0 ? `${where.join(', ')}: ${problem.message}` : problem.message;
		return new RequestRejection(problem.status, code, message, { index: problem.index, field: problem.field });
	}

	/** The JSON answer: never a stack trace, never a submitted value. */
	toBody(): { [key: string]: string | number } {
		const body: { [key: string]: string | number } = { error: this.code, message: this.message };
		if (this.location?.index !== null && this.location?.index !== undefined) body.index = this.location.index;
		if (this.location?.field) body.field = this.location.field;
		return body;
	}
}

export const unauthorized = (presented: boolean) =>
	new RequestRejection(
		401,
		'unauthorized',
		presented
			? 'The secret token does not match the one in this trigger\'s credential.'
			: 'This trigger requires a secret token: add ?token=<secret> to the URL (or send header x-perspective-token, or Authorization: Bearer <secret>).',
	);

export const invalidTriggerParameter = () =>
	new RequestRejection(
		400,
		'invalid_query',
		'query parameter "trigger" must be new_lead or funnel_completed',
		{ index: null, field: 'trigger' },
	);

export const notJson = () =>
	new RequestRejection(
		415,
		'unsupported_content_type',
		'send JSON with content-type application/json',
		{ index: null, field: 'content-type' },
	);
