import type { JsonObject } from '../event-store/recorded-event.js';

/**
 * Turns aggregate and process-manager state into stored JSON and back, the same way for snapshots,
 * the state a command returns and process-manager state: a state restored from it behaves as the
 * state replayed from events (a `Date` stays a `Date`). Provide your own with the module's
 * `stateCodec` option.
 */
export interface StateCodec {
  /** The JSON form of the own enumerable fields of `state`; throws what it cannot keep. */
  encode(state: object): JsonObject;
  /**
   * The fields `encode` was given, revived; undefined when `data` is not in this codec's format
   * (written by another codec or an older release), which the caller then does without.
   */
  decode(data: JsonObject): Record<string, unknown> | undefined;
}

/** Injection token of the {@link StateCodec} in use. */
export const StateCodec = Symbol('StateCodec');
