import type { CommandEnvelope } from '../aggregates/command-envelope.js';
import type { ExecutionResult } from '../aggregates/execution-result.js';

/**
 * Decides where an aggregate instance lives and runs a command on it there. The local registry
 * runs it in this process; a cluster registry routes it to the owning node.
 */
export interface Registry {
  init(): Promise<void>;
  close(): Promise<void>;
  execute(envelope: CommandEnvelope): Promise<ExecutionResult>;
}

/** Injection token of the {@link Registry} port. */
export const Registry = Symbol('Registry');
