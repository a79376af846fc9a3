import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * A cluster node that owns the command's aggregate could not be reached, did not answer in time,
 * or was leaving. The command may or may not have run there; retry it with the same command id.
 */
export class NodeUnavailableError extends EventSourcingError {
  static readonly code = 'NODE_UNAVAILABLE';
  /** The operation may succeed if retried once membership has settled. */
  readonly retryable = true;

  constructor(
    readonly node: string,
    readonly reason: string,
  ) {
    super(NodeUnavailableError.code, `Cluster node '${node}' is unavailable: ${reason}`);
  }
}

/** True when `error` is a {@link NodeUnavailableError}. */
export const isNodeUnavailable = codeGuard<NodeUnavailableError>(NodeUnavailableError.code);
