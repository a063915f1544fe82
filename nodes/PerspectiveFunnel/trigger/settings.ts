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
 * A whole number >= 1 from a parameter (a number, or digits from an expression), else the
 * default: a value that cannot be used never turns deduplication off.
 */
function countSetting(value: unknown, fallback: number): number {
	const number = typeof value === 'string' && /^\s*\d+(?:\.\d*)?\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) return fallback;
	const whole = Math.floor(number);
	return whole >= 1 ? whole : fallback;
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
		retentionDays: countSetting(options.retentionDays, DEFAULT_RETENTION_DAYS),
		maxContacts: countSetting(options.maxContacts, DEFAULT_MAX_CONTACTS),
		outputFormat: options.outputFormat === 'simplified' ? 'simplified' : 'webhook',
		funnelNames: funnelNameSet(options.funnelNameList ?? options.funnelNames),
	};
}
