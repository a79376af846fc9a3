import type { ANY, ExpectedVersion } from '../event-store/expected-version.js';

/** A command on its way to an aggregate, with everything needed to route and trace it. */
export interface CommandEnvelope {
  command: object;
  commandName: string;
  commandId: string;
  /** Aggregate type name (the class name). */
  aggregateType: string;
  aggregateId: string;
  streamId: string;
  causationId: string;
  correlationId: string;
  metadata: Record<string, unknown>;
  /** Absolute time (ms since epoch) after which the caller no longer waits. */
  deadline: number;
  /** The dispatch timeout in ms, for error messages. */
  timeout: number;
  /** Whether the caller wants the aggregate state back (copying it costs time). */
  returnState: boolean;
  /** True when the command id may have been used before (given by the caller, derived by a process manager, or a retry), so the executor looks it up before running it. */
  idempotent: boolean;
  /**
   * True when the command came from another node: its sender may retry it under the same id (the
   * owner died or stopped answering), so it is recorded with its events like an `idempotent` one.
   */
  forwarded: boolean;
  /** The caller's `expectedVersion` (`ANY`, which checks nothing, is left out); absent: no check. */
  expectedVersion?: Exclude<ExpectedVersion, typeof ANY>;
}
