import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { normaliseFunnelName } from '../funnel/decide';
import type { OutputFormat } from '../funnel/output';
import type { FunnelEventName, TriggerSettings } from '../funnel/types';

const EVENT_NAMES: Record<string, FunnelEventName> = {
	newLead: 'new_lead',
	funnelCompleted: 'funnel_completed',
};

export interface NodeSettings extends TriggerSettings {
	outputFormat: OutputFormat;
}

export const DEFAULT_MAX_CONTACTS = 10_000;
export const DEFAULT_RETENTION_DAYS = 30;

/**
 * The largest values either memory takes (docs/trigger-reference.md, Limits). Ten years is past
 * any retention a privacy policy allows, and its expiry is an integer of milliseconds Redis
 * accepts; a million contacts of about 26 bytes stays within the static-data budget.
 */
export const MAX_RETENTION_DAYS = 3_650;
export const MAX_MAX_CONTACTS = 1_000_000;

/**
 * A whole number from 1 to `max` from a parameter (a number, or digits from an expression): a
 * larger one is `max`, and one that cannot be used is the default, so that a typo or an
 * expression never turns deduplication off, and both memories read the same value.
 */
function countSetting(value: unknown, fallback: number, max: number): number {
	const number = typeof value === 'string' && /^\s*\d+(?:\.\d*)?\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) return fallback;
	const whole = Math.floor(number);
	return whole >= 1 ? Math.min(whole, max) : fallback;
}

/**
 * The funnel names to accept. Version 1 stored one comma-separated string; version 1.1 a
 * list of names, each taken whole (commas included). Either shape is read by what it is.
 */
function funnelNameSet(value: unknown): Set<string> {
	let names: unknown[] = [];
	if (typeof value === 'string') names = value.split(',');
	else if (Array.isArray(value)) names = value;
	return new Set(
		names
			.filter((name): name is string => typeof name === 'string')
			.map(normaliseFunnelName)
			.filter((name) => name.length > 0),
	);
}

/** The node's parameters as the core wants them. */
export function readNodeSettings(context: IWebhookFunctions): NodeSettings {
	// n8n hands every parameter with its default filled in: Events is always a list. A value
	// this version does not know adds undefined to the set, which no event name equals.
	const events = (context.getNodeParameter('events') as string[]).map((value) => EVENT_NAMES[value]);
	const options = context.getNodeParameter('options', {}) as IDataObject;
	return {
		events: new Set(events),
		retentionDays: countSetting(options.retentionDays, DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS),
		maxContacts: countSetting(options.maxContacts, DEFAULT_MAX_CONTACTS, MAX_MAX_CONTACTS),
		outputFormat: options.outputFormat === 'simplified' ? 'simplified' : 'webhook',
		funnelNames: funnelNameSet(options.funnelNameList ?? options.funnelNames),
	};
}
