import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { OutputFormat } from '../funnel/output';
import type { FunnelEventName, TriggerSettings } from '../funnel/types';

const EVENT_NAMES: Record<string, FunnelEventName> = {
	newLead: 'new_lead',
	funnelCompleted: 'funnel_completed',
};

export interface NodeSettings extends TriggerSettings {
	outputFormat: OutputFormat;
	/** Lower-cased funnel names to accept; empty accepts all. */
	funnelNames: ReadonlySet<string>;
}

export function normaliseFunnelName(name: string): string {
	return name.trim().toLowerCase();
}

/** The node's parameters as the core wants them. */
export function readNodeSettings(context: IWebhookFunctions): NodeSettings {
	const events = (context.getNodeParameter('events', []) as string[])
		.map((value) => EVENT_NAMES[value])
		.filter((name): name is FunnelEventName => name !== undefined);
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const funnelNames = String(options.funnelNames ?? '')
		.split(',')
		.map(normaliseFunnelName)
		.filter((name) => name.length > 0);
	const positive = (value: unknown, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
	return {
		events: new Set(events),
		retentionDays: positive(options.retentionDays, 30),
		maxContacts: Math.floor(positive(options.maxContacts, 10000)),
		outputFormat: options.outputFormat === 'simplified' ? 'simplified' : 'webhook',
		funnelNames: new Set(funnelNames),
	};
}
