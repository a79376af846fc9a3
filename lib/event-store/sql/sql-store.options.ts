import type { PartitioningOptions } from './partitioning.options.js';

/** Settings shared by the SQL adapters. */
export interface SqlStoreOptions {
  /** Schema holding the store's tables; stores in different schemas never see each other. @default 'event_store' */
  schema?: string;
  /** Run migrations when the module starts. @default true */
  autoMigrate?: boolean;
  /** Largest serialized event or snapshot accepted, in bytes. @default 1048576 */
  maxPayloadBytes?: number;
  /**
   * Lay a new store's events table out as partitions of global-position ranges (PostgreSQL's
   * declarative partitioning), so old ranges can later be archived (`closeBooks`). An existing
   * store with events is converted by `nestjs-event-sourcing partition-events`. A store that is
   * already partitioned stays so without this option.
   * @default undefined (one plain table)
   */
  partitioning?: PartitioningOptions;
}
