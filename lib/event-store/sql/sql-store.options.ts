/** Settings shared by the SQL adapters. */
export interface SqlStoreOptions {
  /** Schema holding the store's tables; stores in different schemas never see each other. @default 'event_store' */
  schema?: string;
  /** Run migrations when the module starts. @default true */
  autoMigrate?: boolean;
  /** Largest serialized event or snapshot accepted, in bytes. @default 1048576 */
  maxPayloadBytes?: number;
}
