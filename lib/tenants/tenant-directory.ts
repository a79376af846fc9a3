import { isWrongExpectedVersion } from '../errors/wrong-expected-version.error.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import { NO_STREAM } from '../event-store/expected-version.js';
import { uuidV4 } from '../util/uuid-v4.js';

/** The stream of the base store that lists the tenants: a `$TenantAdded` or `$TenantRemoved` event per change. */
export const TENANTS_STREAM = '$tenants';
const TENANT_ADDED = '$TenantAdded';
const TENANT_REMOVED = '$TenantRemoved';

/** The tenant list as of one read: who is listed, and who was removed since they were last added. */
export interface TenantListing {
  listed: string[];
  removed: string[];
  /** The version of the list's stream the read saw, 0 before the first change. */
  version: number;
}

/**
 * The tenant list, kept as a stream of the module's own store so that every node (and every
 * adapter) reads the same list without a table of its own. The list is the fold of its events in
 * order, so a tenant removed and added again is listed. A change appends at the version just read:
 * two nodes changing it at once conflict, and the loser reads again and finds its change made or
 * appends after the other's, so every change is recorded once.
 */
export class TenantDirectory {
  /** The newest version of the list this node read or wrote. */
  private newest = 0;

  constructor(private readonly store: EventStore) {}

  async read(): Promise<TenantListing> {
    const listed = new Set<string>();
    const removed = new Set<string>();
    let version = 0;
    for (const event of await this.store.readStream(TENANTS_STREAM)) {
      const tenant = String(event.data.tenantId);
      const adds = event.eventType === TENANT_ADDED;
      (adds ? listed : removed).add(tenant);
      (adds ? removed : listed).delete(tenant);
      version = event.streamVersion;
    }
    this.newest = Math.max(this.newest, version);
    return { listed: [...listed], removed: [...removed], version };
  }

  /**
   * False when this node has since read or written a newer list: a read that answered late must
   * not undo a change made after it (start again the engine of a tenant just removed).
   */
  current(listing: TenantListing): boolean {
    return listing.version >= this.newest;
  }

  async list(): Promise<string[]> {
    return (await this.read()).listed;
  }

  /** Lists `tenant`; false when it was listed already. */
  add(tenant: string): Promise<boolean> {
    return this.change(tenant, true);
  }

  /** Takes `tenant` off the list; false when it was not listed. */
  remove(tenant: string): Promise<boolean> {
    return this.change(tenant, false);
  }

  private async change(tenant: string, listed: boolean): Promise<boolean> {
    for (;;) {
      const listing = await this.read();
      if (listing.listed.includes(tenant) === listed) return false;
      const event = { eventId: uuidV4(), eventType: listed ? TENANT_ADDED : TENANT_REMOVED, data: { tenantId: tenant } };
      try {
        const appended = await this.store.appendToStream(TENANTS_STREAM, listing.version || NO_STREAM, [event]);
        this.newest = Math.max(this.newest, appended.streamVersion);
        return true;
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw error;
      }
    }
  }
}
