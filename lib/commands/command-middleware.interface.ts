import type { DispatchOptions } from './dispatch-options.js';
import type { ExecutionResult } from '../aggregates/execution-result.js';

/** What middleware sees of a dispatch; `metadata` and `assigns` may be changed. */
export interface CommandPipeline {
  command: object;
  commandName: string;
  commandId: string;
  options: DispatchOptions;
  metadata: Record<string, unknown>;
  /** Free space for middleware to pass values along. */
  assigns: Record<string, unknown>;
}

/** Hooks around every dispatch. Throwing from `beforeDispatch` halts the command. */
export interface CommandMiddleware {
  beforeDispatch?(pipeline: CommandPipeline): void | Promise<void>;
  afterDispatch?(pipeline: CommandPipeline, result: ExecutionResult): void | Promise<void>;
  afterFailure?(pipeline: CommandPipeline, error: unknown): void | Promise<void>;
}
