import type { ExpectedVersion } from '../event-store/expected-version.js';
import type { Consistency } from './subscription-options.js';

/** What `dispatch` can resolve with. */
export const RETURNING = ['none', 'aggregateVersion', 'events', 'aggregateState', 'executionResult'] as const;
/** One of {@link RETURNING}. */
export type Returning = (typeof RETURNING)[number];

/** Options of one dispatch (kept beside the subscription options: handlers dispatch through their context too). */
export interface DispatchOptions {
  /**
   * `'strong'` waits for every strong subscription; a list of names waits for those.
   * @default the module's `commands.consistency`
   */
  consistency?: Consistency | string[];
  /** ms to wait for the command (and its consistency). @default the module's `commands.timeout` */
  timeout?: number;
  /** Stored with every event the command produces. @default {} */
  metadata?: Record<string, unknown>;
  /** @default a new id */
  commandId?: string;
  /** Id of what caused this command. @default the command id */
  causationId?: string;
  /** Id shared by a whole conversation. @default the command id */
  correlationId?: string;
  /** @default 'none' */
  returning?: Returning;
  /**
   * The version the caller last saw (an HTTP `If-Match`): the command runs only while the
   * aggregate is still there, else it fails with `WrongExpectedVersionError` (carrying this and
   * the current version), writes nothing and is never retried. A number is the count of events in
   * the aggregate's stream; `NO_STREAM` means no events yet (or deleted, for an aggregate declared
   * `onDeleted: 'recreate'`), `STREAM_EXISTS` at least one (and not deleted); `ANY` checks nothing.
   * @default no check: a conflict with a concurrent writer reloads and runs the command again
   */
  expectedVersion?: ExpectedVersion;
  /**
   * The tenant whose aggregate runs the command, when the module serves tenants (required there).
   * Stored on every event the command produces (`metadata.tenant`). A handler dispatching through
   * its context stays in its own tenant; naming another fails with `UnknownTenantError`.
   * @default the tenant of the `Tenants.run` around the call, if any (else none: the module's one store); in a tenant's engine, its own tenant
   */
  tenant?: string;
}
