import { isWrongExpectedVersion } from '../errors/wrong-expected-version.error.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import { NO_STREAM } from '../event-store/expected-version.js';
import { uuidV4 } from '../util/uuid-v4.js';

/** The stream of the base store that lists the tenants, one `$TenantAdded` event each. */
export const TENANTS_STREAM = '$tenants';
const TENANT_ADDED = '$TenantAdded';

/**
 * The tenant list, kept as a stream of the module's own store so that every node (and every
 * adapter) reads the same list without a table of its own. Adding appends at the version just read:
 * two nodes adding at once conflict, and the loser re-reads and finds the tenant there or appends
 * after it, so each tenant is listed once.
 */
export class TenantDirectory {
  constructor(private readonly store: EventStore) {}

  async list(): Promise<string[]> {
    return (await this.store.readStream(TENANTS_STREAM)).filter((e) => e.eventType === TENANT_ADDED).map((e) => String(e.data.tenantId));
  }

  /** Lists `tenant`; false when it was listed already. */
  async add(tenant: string): Promise<boolean> {
    for (;;) {
      const events = await this.store.readStream(TENANTS_STREAM);
      if (events.some((e) => e.data.tenantId === tenant)) return false;
      const expected = events.length ? events[events.length - 1].streamVersion : NO_STREAM;
      try {
        await this.store.appendToStream(TENANTS_STREAM, expected, [{ eventId: uuidV4(), eventType: TENANT_ADDED, data: { tenantId: tenant } }]);
        return true;
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw error;
      }
    }
  }
}
