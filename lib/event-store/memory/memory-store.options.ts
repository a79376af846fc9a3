/** The in-memory adapter: for tests and demos; data ends with the process. */
export interface MemoryStoreOptions {
  adapter: 'memory';
  /** @default 1048576 */
  maxPayloadBytes?: number;
}
