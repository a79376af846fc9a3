/** What executing a command produced. */
export interface ExecutionResult {
  aggregateId: string;
  streamId: string;
  /** Stream version after the command (unchanged when it produced no events). */
  aggregateVersion: number;
  /** Global position of the last event written, or 0 when none were. */
  globalPosition: number;
  /** The events produced, as class instances. */
  events: object[];
  /** Aggregate state after the command. */
  aggregateState: object;
  metadata: Record<string, unknown>;
}
