/** One production request against a `ContactStore`, as the static-data memory makes it: the request's contacts loaded, decided, committed. */
import { contactIdsOf, decide } from '../../nodes/PerspectiveFunnel/funnel/decide';
import type { ContactEvent, EpochMs, TriggerSettings } from '../../nodes/PerspectiveFunnel/funnel/types';
import { readStoredState, writeStoredState, type ContactStore, type StoredState } from '../../nodes/PerspectiveFunnel/trigger/contactStore';

/** The request's static data holds `loaded`; `save` is what the store wrote into it (null when it wrote nothing). */
export function handle(store: ContactStore, loaded: StoredState | undefined, events: ContactEvent[], settings: TriggerSettings, now: EpochMs) {
	const staticData: Record<string, unknown> = {};
	if (loaded) writeStoredState(staticData, loaded);
	const decision = store.transact(staticData, contactIdsOf(events, settings), (contacts) => decide(contacts, events, settings, now), now);
	const written = readStoredState(staticData);
	const save = written && written.revision !== loaded?.revision ? written : null;
	return { emissions: decision.emissions, expired: decision.expired, unreadable: decision.unreadable, save, refusal: decision.refusal };
}
