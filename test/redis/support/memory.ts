/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: runs in Node beside n8n, never inside it, and is not published; ioredis is the Redis package's devDependency */
/**
 * What the Redis memory's tests share: settings, times of the last hour, one production
 * request (`apply`), and connections made as the node makes them.
 */
import { Redis } from 'ioredis';

import { contactIdsOf, decide, type Decision } from '../../../nodes/PerspectiveFunnel/funnel/decide';
import type { ContactMemory } from '../../../nodes/PerspectiveFunnel/funnel/memory';
import type { ContactEvent, FunnelEventName, TriggerSettings } from '../../../nodes/PerspectiveFunnel/funnel/types';
import { redisOptions } from '../../../redis/nodes/PerspectiveFunnelRedisTrigger/connection';
import { KeySpace, defineScripts } from '../../../redis/nodes/PerspectiveFunnelRedisTrigger/redisMemory';

export const DAY = 24 * 60 * 60 * 1000;
export const BOTH: ReadonlySet<FunnelEventName> = new Set(['new_lead', 'funnel_completed']);
export const SETTINGS: TriggerSettings = { events: BOTH, funnelNames: new Set(), retentionDays: 30, maxContacts: 10_000 };
// Redis expires a contact's key by its own clock (PXAT: last visit + Retention), so the visits
// here are of the last hour, not the fixtures' fixed 2026-11-27, or every key would be gone on
// arrival once Retention's 30 days are past that date.
const HOUR_AGO = Date.now() - 60 * 60_000;
export const minutes = (n: number) => HOUR_AGO + n * 60_000;
export const NOW = minutes(60);

export const emitted = (decision: Decision) => decision.emissions.map((emission) => `${emission.contact.id}:${emission.event}`);

/** One production request: the memory loads the request's contacts, decides with them, commits. */
export const apply = (memory: ContactMemory, events: ContactEvent[], settings = SETTINGS, now = NOW) =>
	memory.transact(contactIdsOf(events, settings), (loaded) => decide(loaded, events, settings, now));

/** A connection with the node's options (timeouts included) and its scripts. */
export function connect(port: number): Redis {
	const client = new Redis({ ...redisOptions({ host: '127.0.0.1', port }), lazyConnect: false });
	client.on('error', () => undefined);
	defineScripts(client);
	return client;
}

let nodes = 0;
/** The keys of a trigger node no other test uses. */
export function freshKeys(label = 'node'): KeySpace {
	nodes++;
	return new KeySpace('perspective-funnel-test', `wf${nodes}`, label);
}
