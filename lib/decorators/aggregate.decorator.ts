import { AGGREGATE_METADATA } from '../constants.js';
import type { PersonalDataOptions } from './personal-data.options.js';

/** Options of {@link Aggregate}. */
export interface AggregateOptions {
  /** Field of every command (and of the aggregate) holding the instance id, e.g. `'accountId'`. */
  identity: string;
  /** Prepended to the id to form the stream id. @default '' */
  prefix?: string;
  /** Take a snapshot every this many events; 0 disables snapshots. @default 0 */
  snapshotEvery?: number;
  /** Shape version of the snapshot; bump it when state changes shape. @default 1 */
  snapshotVersion?: number;
  /**
   * What a command may do with an event this class has no `@Apply` for: `'refuse'` fails the
   * command with `MissingApplyError` and stores nothing; `'ignore'` stores the event and leaves
   * the state as it is (for events only others need). @default 'refuse'
   */
  unhandledEvents?: UnhandledEvents;
  /**
   * What a command may do once the stream was deleted (it ends with the `StreamDeleted` tombstone):
   * `'refuse'` fails it with `StreamDeletedError`; `'recreate'` runs it on a fresh state and
   * appends after the tombstone, whose version stays taken. @default 'refuse'
   */
  onDeleted?: OnDeleted;
  /**
   * Fields of the state holding personal data, and the state field naming their person: its
   * snapshots keep them encrypted with that person's key, so a forget reaches them as it reaches
   * the events (see docs/erasure-and-retention.md). Needed only when snapshots are on and the
   * state keeps personal data. @default none
   */
  personal?: PersonalDataOptions;
}

/** The values of {@link AggregateOptions.unhandledEvents}. */
export const UNHANDLED_EVENTS = ['refuse', 'ignore'] as const;
/** One of {@link UNHANDLED_EVENTS}. */
export type UnhandledEvents = (typeof UNHANDLED_EVENTS)[number];

/** The values of {@link AggregateOptions.onDeleted}. */
export const ON_DELETED = ['refuse', 'recreate'] as const;
/** One of {@link ON_DELETED}. */
export type OnDeleted = (typeof ON_DELETED)[number];

/** Resolved aggregate metadata. */
export type AggregateMetadata = Required<Omit<AggregateOptions, 'personal'>> & Pick<AggregateOptions, 'personal'> & { type: string };

/**
 * Marks a class as an event-sourced aggregate. Its state is rebuilt by `@Apply` methods and
 * changed only through events returned by `@Execute` methods.
 */
export function Aggregate(options: AggregateOptions): ClassDecorator {
  return (target) => {
    const metadata: AggregateMetadata = {
      type: target.name,
      prefix: '',
      snapshotEvery: 0,
      snapshotVersion: 1,
      unhandledEvents: 'refuse',
      onDeleted: 'refuse',
      ...options,
    };
    Reflect.defineMetadata(AGGREGATE_METADATA, metadata, target);
  };
}
