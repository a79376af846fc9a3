import { DOMAIN_EVENT_METADATA } from '../constants.js';
import { InvalidEventError } from '../errors/invalid-event.error.js';
import { copiedPersonalData, type PersonalDataOptions, personalDataProblem } from './personal-data.options.js';

/** Options of {@link DomainEvent}. */
export interface DomainEventOptions {
  /** Schema version written with each event; upcasters lift older ones. @default 1 */
  version?: number;
  /**
   * Names the class was stored under before it was renamed: events stored under them are read
   * into this class on every read path (aggregates, subscriptions, process managers). New events
   * are written under `name`. An alias that is another class's name or alias fails the boot. @default []
   */
  aliases?: string[];
  /** Fields holding personal data, stored encrypted per data subject. @default none */
  personal?: PersonalDataOptions;
}

/** Stored identity of an event class. */
export interface DomainEventMetadata {
  name: string;
  /** Schema version written with each event; upcasters lift older ones. @default 1 */
  version: number;
  /** Older stored names read into this class. @default [] */
  aliases: string[];
  /** Its personal fields, when it has any. */
  personal?: PersonalDataOptions;
}

/**
 * Marks a class as a domain event stored under `name`. Only classes carrying it are ever
 * instantiated from stored data. With `personal`, the named fields are stored encrypted per data
 * subject (see docs/erasure-and-retention.md); a malformed declaration throws `InvalidEventError`.
 */
export function DomainEvent(name: string, options: DomainEventOptions = {}): ClassDecorator {
  const problem = options.personal && personalDataProblem(options.personal);
  if (problem) throw new InvalidEventError(`@DomainEvent('${name}') declares personal data wrongly: ${problem}`);
  const personal = options.personal && copiedPersonalData(options.personal);
  return (target) => {
    Reflect.defineMetadata(DOMAIN_EVENT_METADATA, { name, version: options.version ?? 1, aliases: options.aliases ?? [], personal }, target);
  };
}

/** Every stored type name an event class is read from: its name, then its aliases. */
export const storedNamesOf = (meta: DomainEventMetadata): string[] => [meta.name, ...meta.aliases];
