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
  /** The stored type names of `events`, when known: a strong dispatch waits only for subscriptions that handle one. */
  eventTypes?: string[];
  /** A copy of the aggregate state after the command, when asked for. */
  aggregateState?: object;
  metadata: Record<string, unknown>;
}
