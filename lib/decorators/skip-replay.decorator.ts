import { SKIP_REPLAY_METADATA } from '../constants.js';
import { readMetadata } from './read-metadata.js';

/** What `@SkipReplay` records on a class: the whole class, or some of its methods. */
export interface SkipReplayMetadata {
  wholeClass: boolean;
  methods: ReadonlySet<string | symbol>;
}

/**
 * Keeps a handler from running again on events its subscription had already handled before a
 * reset (`context.replaying`), while the rest of the subscription rebuilds: for code with effects
 * outside the read model (e-mails, payments). On an `@On` or `@OnBatch` method, that method (a
 * batch gets only the events that are not replays, and is not called when none is left); on an
 * `@EventHandler` or `@Projector` class, all of its methods. Events appended after the reset reach
 * it as usual.
 */
export function SkipReplay(): ClassDecorator & MethodDecorator {
  return (target: object, propertyKey?: string | symbol) => {
    const type = propertyKey === undefined ? target : target.constructor;
    const known = skipReplayOf(type);
    const marked: SkipReplayMetadata =
      propertyKey === undefined ? { ...known, wholeClass: true } : { ...known, methods: new Set([...known.methods, propertyKey]) };
    Reflect.defineMetadata(SKIP_REPLAY_METADATA, marked, type);
  };
}

/** What `@SkipReplay` marked on `type` (nothing when it is not used there). */
export const skipReplayOf = (type: object): SkipReplayMetadata =>
  readMetadata<SkipReplayMetadata>(SKIP_REPLAY_METADATA, type) ?? { wholeClass: false, methods: new Set() };
