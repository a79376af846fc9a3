/** Tracing and identity a process manager attaches to every command it sends. */
export interface CommandDispatchOptions {
  /** Id of the event that caused the command. */
  causationId?: string;
  /** Id shared by the whole conversation, carried over from the event. */
  correlationId?: string;
  /** Stored with the events the command produces. */
  metadata?: Record<string, unknown>;
  /** Stable id of this command; the same event always yields the same ids, so a redelivery can be recognised. */
  commandId?: string;
}

/** Sends commands on behalf of process managers; the command gateway implements it. */
export interface CommandDispatcher {
  dispatch(command: object, options: CommandDispatchOptions): Promise<unknown>;
}

/** Injection token of the {@link CommandDispatcher} used by process managers. */
export const CommandDispatcher = Symbol('CommandDispatcher');
