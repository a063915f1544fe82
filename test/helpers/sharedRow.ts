/** n8n's database row for a node's static data: what the last save wrote, whoever wrote it. */
import { decodeContacts } from '../../nodes/PerspectiveFunnel/funnel/codec';
import type { StoredState } from '../../nodes/PerspectiveFunnel/trigger/contactStore';

export class SharedRow {
	saved: StoredState | undefined;
	load(): StoredState | undefined {
		return this.saved && { ...this.saved };
	}
	save(state: StoredState | null) {
		if (state) this.saved = state;
	}
	contacts() {
		return this.saved ? decodeContacts(this.saved.contacts).contacts : [];
	}
	ids() {
		return this.contacts().map((contact) => contact.id).sort();
	}
}
