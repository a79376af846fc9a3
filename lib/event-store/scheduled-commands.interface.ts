import type { JsonObject, Snapshot } from './recorded-event.js';

/** A command a process-manager instance asked to send later, as the store keeps it. */
export interface ScheduledCommand {
  processManager: string;
  processId: string;
  /** Names the command within its instance: scheduling the same key again replaces it. */
  key: string;
  /** Id the command is sent with at every attempt, so the command layer recognises a repeated fire. */
  commandId: string;
  /** Class name of the command, to revive it. */
  commandType: string;
  command: JsonObject;
  dueAt: Date;
  causationId?: string;
  correlationId?: string;
  metadata: JsonObject;
  /** Failed attempts so far. */
  attempts: number;
}

/** What one process-manager step changes; written in one transaction where the store has them. */
export interface ProcessStateChange {
  processManager: string;
  processId: string;
  /** Stream id of the instance's state. */
  stateStreamId: string;
  /** The instance's new state (its `streamId` is `stateStreamId`); absent when it ended: its state and every pending command are deleted. */
  state?: Snapshot;
  /** Commands to schedule, replacing any pending under the same key. */
  schedule: ScheduledCommand[];
  /** Keys whose pending commands are cancelled. */
  cancel: string[];
}

/**
 * Durable scheduled commands of process managers. Every built-in store has them (SQL: the
 * `scheduled_commands` table of migration 6).
 */
export interface ScheduledCommandStore {
  /** Saves or deletes an instance's state together with its schedule changes. */
  commitProcess(change: ProcessStateChange): Promise<void>;
  /** Up to `limit` commands of `processManager` due at `now` or earlier, earliest first. */
  dueCommands(processManager: string, now: Date, limit: number): Promise<ScheduledCommand[]>;
  /** The earliest due time among the pending commands of `processManager`. */
  nextDueAt(processManager: string): Promise<Date | undefined>;
  /** Pending commands of `processManager` (of one instance when `processId` is given), earliest first. */
  listScheduled(processManager: string, processId?: string): Promise<ScheduledCommand[]>;
  /**
   * Removes a command after it was sent, or moves it to `retryAt` with one more failed attempt.
   * Nothing happens when it was cancelled or replaced meanwhile (its `commandId` differs).
   */
  settleScheduled(command: ScheduledCommand, retryAt?: Date): Promise<void>;
}
