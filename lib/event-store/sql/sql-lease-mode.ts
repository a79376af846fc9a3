import type { SqlDriver } from './sql-driver.interface.js';
import { SqlRowLeases } from './sql-row-leases.js';
import type { SqlSchema } from './sql-schema.js';
import type { SqlSubscriptionLease } from './sql-subscription-lease.js';
import { SqlSubscriptionLeases } from './sql-subscription-leases.js';

/**
 * How a SQL store holds subscription leases: `lock`, a session advisory lock on a dedicated
 * connection, gone the moment that connection ends; or `row`, a row that expires `timeout` ms
 * after its last renewal, for connections through a transaction-mode pooler, which keep no
 * session. Either way the epoch fences every write.
 */
export type SqlLeaseMode = { kind: 'lock' } | { kind: 'row'; timeout: number };

/** What the store asks of its leases. */
export interface SqlLeases {
  acquire(name: string, owner?: string): Promise<SqlSubscriptionLease | undefined>;
  close(): Promise<void>;
}

/** The leases of `mode`. */
export const createLeases = (driver: SqlDriver, schema: SqlSchema, mode: SqlLeaseMode): SqlLeases =>
  mode.kind === 'row' ? new SqlRowLeases(driver, schema, mode.timeout) : new SqlSubscriptionLeases(driver, schema);
