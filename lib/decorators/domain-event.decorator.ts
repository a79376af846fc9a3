import { DOMAIN_EVENT_METADATA } from '../constants.js';
import { InvalidEventError } from '../errors/invalid-event.error.js';

/**
 * Which fields of an event hold personal data, and which field names the person (data subject)
 * they belong to. The store keeps those fields encrypted with a key of that subject;
 * `DataSubjects.forget(subjectId)` destroys the key, and every read then gives the placeholder.
 */
export interface PersonalDataOptions {
  /** Field holding the id of the person the data belongs to; it stays readable, so use an id, never a name. */
  subject: string;
  /** Top-level fields holding personal data; each is encrypted as a whole (an object field with all it holds). */
  fields: string[];
  /** JSON value a forgotten field reads as. @default '[forgotten]' (the exported `FORGOTTEN`) */
  placeholder?: unknown;
}

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

function assertPersonalOptions(name: string, personal: PersonalDataOptions): void {
  const fail = (problem: string) => {
    throw new InvalidEventError(`@DomainEvent('${name}') declares personal data wrongly: ${problem}`);
  };
  if (typeof personal.subject !== 'string' || personal.subject === '') fail(`'subject' must name the field holding the person's id`);
  const { fields } = personal;
  if (!Array.isArray(fields) || fields.length === 0 || fields.some((field) => typeof field !== 'string' || field === '')) {
    fail(`'fields' must list the names of the personal fields, got ${JSON.stringify(fields)}`);
  }
  if (fields.includes(personal.subject)) fail(`the subject field '${personal.subject}' cannot also be a personal field: it must stay readable`);
  if (personal.placeholder !== undefined && JSON.stringify(personal.placeholder) === undefined) fail(`'placeholder' must be a JSON value`);
}

/**
 * Marks a class as a domain event stored under `name`. Only classes carrying it are ever
 * instantiated from stored data. With `personal`, the named fields are stored encrypted per data
 * subject (see docs/erasure-and-retention.md); a malformed declaration throws `InvalidEventError`.
 */
export function DomainEvent(name: string, options: DomainEventOptions = {}): ClassDecorator {
  if (options.personal) assertPersonalOptions(name, options.personal);
  const personal = options.personal && { ...options.personal, fields: [...options.personal.fields] };
  return (target) => {
    Reflect.defineMetadata(DOMAIN_EVENT_METADATA, { name, version: options.version ?? 1, aliases: options.aliases ?? [], personal }, target);
  };
}

/** Every stored type name an event class is read from: its name, then its aliases. */
export const storedNamesOf = (meta: DomainEventMetadata): string[] => [meta.name, ...meta.aliases];
