import type { Type } from '@nestjs/common';
import { DOMAIN_EVENT_METADATA } from '../constants.js';
import { type DomainEventMetadata, storedNamesOf } from '../decorators/domain-event.decorator.js';
import { InvalidEventError } from '../errors/invalid-event.error.js';
import { UnknownEventTypeError } from '../errors/unknown-event-type.error.js';
import { UnregisteredEventError } from '../errors/unregistered-event.error.js';
import type { EventUpcaster } from './event-upcaster.interface.js';
import type { JsonObject, NewEvent, RecordedEvent } from '../event-store/recorded-event.js';
import { readMetadata } from '../decorators/read-metadata.js';
import { jsonCopy } from '../util/json-copy.js';
import { StreamDeleted } from './stream-deleted.event.js';
import { PERSONAL_DATA_KEY, type PersonalFields } from '../event-store/personal-fields.js';
import { identifierProblem, shown } from '../event-store/store-strings.js';

/** Metadata key holding the schema version an event was written with. */
export const SCHEMA_VERSION_KEY = 'schemaVersion';

/** Reads the `@DomainEvent` metadata of a class, or undefined. */
export const domainEventOf = (type: Type): DomainEventMetadata | undefined => readMetadata<DomainEventMetadata>(DOMAIN_EVENT_METADATA, type);

const notAnEvent = (type: Type) => new InvalidEventError(`${type.name} is not an event class: decorate it with @DomainEvent('${type.name}')`);

/** Where a stored event sits, for errors (events revived off the wire have no position). */
const storedAt = (recorded: RecordedEvent): string =>
  recorded.streamId === undefined ? 'the event store' : `stream '${recorded.streamId}' at position ${recorded.globalPosition}`;

/** The `$personal` metadata entry of an event declared with personal data; refuses a missing subject id. */
function personalFieldsOf(meta: DomainEventMetadata, event: object): PersonalFields {
  const { subject, fields, placeholder } = meta.personal!;
  const id = (event as Record<string, unknown>)[subject];
  const problem = identifierProblem(id);
  if (problem) {
    throw new InvalidEventError(
      `Event '${meta.name}' holds personal data of the subject in '${subject}', whose value ${shown(id)} ${problem}: set it to the person's id`,
    );
  }
  const personal: PersonalFields = { subject: id as string, fields };
  if (placeholder !== undefined) personal.placeholder = placeholder;
  return personal;
}

/**
 * Maps event classes to stored type names and back. Only registered classes are ever
 * instantiated from stored data; upcasters lift old schema versions on every read. Classes are
 * registered at boot, and only registered ones are written: what one process writes, a fresh
 * process of the same code can read.
 */
export class EventSerializer {
  private readonly byName = new Map<string, Type>();
  /** Classes already checked, so the hot path skips the metadata lookup. */
  private readonly known = new WeakMap<Type, DomainEventMetadata>();
  private readonly upcasters = new Map<string, EventUpcaster>();

  constructor(classes: Iterable<Type> = [], upcasters: EventUpcaster[] = []) {
    this.register(StreamDeleted);
    for (const type of classes) this.register(type);
    for (const upcaster of upcasters) this.upcasters.set(`${upcaster.eventType}@${upcaster.fromVersion}`, upcaster);
  }

  /** Registers an event class; throws when it lacks `@DomainEvent` or reuses another class's name. */
  register(type: Type): DomainEventMetadata {
    const cached = this.known.get(type);
    if (cached) return cached;
    const meta = domainEventOf(type);
    if (!meta) throw notAnEvent(type);
    const names = storedNamesOf(meta);
    if (names.some((name) => typeof name !== 'string' || name === '') || new Set(names).size !== names.length) {
      throw new InvalidEventError(
        `@DomainEvent('${meta.name}') on ${type.name}: 'aliases' must list other stored names, each once, got ${JSON.stringify(meta.aliases)}`,
      );
    }
    for (const name of names) {
      const known = this.byName.get(name);
      if (known && known !== type) {
        throw new InvalidEventError(
          `Event type '${name}' is declared by both ${known.name} and ${type.name} (as a name or an alias): each stored name reads into one class`,
        );
      }
    }
    for (const name of names) this.byName.set(name, type);
    this.known.set(type, meta);
    return meta;
  }

  /** True when a registered class declares personal data. */
  hasPersonalData(): boolean {
    for (const type of this.byName.values()) if (this.known.get(type)!.personal) return true;
    return false;
  }

  isKnown(eventType: string): boolean {
    return this.byName.has(eventType);
  }

  /** Stored type name of an event instance's registered class. */
  typeNameOf(event: object): string {
    return this.writable(event).name;
  }

  /**
   * Turns an event instance into a storable record; throws `UnregisteredEventError` when its class
   * was not registered, naming `aggregate` (the class that emitted it) in the fix.
   */
  serialize(event: object, envelope: Omit<NewEvent, 'eventType' | 'data'>, aggregate?: string): NewEvent {
    const meta = this.writable(event, aggregate);
    let data: JsonObject;
    try {
      data = jsonCopy<JsonObject>(event);
    } catch (error) {
      throw new InvalidEventError(`Event '${meta.name}' cannot be stored as JSON: ${(error as Error).message}`);
    }
    // Copied with Object.assign, then keys set one by one: V8 builds a spread followed by more keys,
    // or an object literal merged in, far slower on this hot path.
    const metadata: JsonObject = Object.assign({}, envelope.metadata);
    metadata[SCHEMA_VERSION_KEY] = meta.version;
    if (meta.personal) metadata[PERSONAL_DATA_KEY] = personalFieldsOf(meta, event);
    const serialized = Object.assign({}, envelope) as NewEvent;
    serialized.eventType = meta.name;
    serialized.data = data;
    serialized.metadata = metadata;
    return serialized;
  }

  private writable(event: object, aggregate?: string): DomainEventMetadata {
    if (event === null || typeof event !== 'object' || event.constructor === Object) {
      throw new InvalidEventError(`Events must be instances of @DomainEvent classes, got ${JSON.stringify(event)}`);
    }
    const type = event.constructor as Type;
    const known = this.known.get(type);
    if (known) return known;
    const meta = domainEventOf(type);
    if (!meta) throw notAnEvent(type);
    throw new UnregisteredEventError(type.name, meta.name, aggregate);
  }

  /**
   * Revives a stored event as an instance of its registered class, upcast to the current schema.
   * `data`, when given, stands for `recorded.data` (a copy the caller owns of the same content).
   */
  deserialize(recorded: RecordedEvent, data: JsonObject = recorded.data): object {
    const type = this.byName.get(recorded.eventType);
    if (!type) throw new UnknownEventTypeError(recorded.eventType, storedAt(recorded));
    const target = this.known.get(type)!.version;
    let version = Number(recorded.metadata[SCHEMA_VERSION_KEY] ?? 1);
    // An upcaster may rename the type: the chain goes on under the new name.
    let name = recorded.eventType;
    for (; version < target; version++) {
      const upcaster = this.upcasters.get(`${name}@${version}`);
      if (!upcaster) {
        throw new UnknownEventTypeError(name, storedAt(recorded), version);
      }
      data = upcaster.upcast(data, recorded.metadata);
      name = upcaster.toEventType ?? name;
    }
    return Object.assign(Object.create(type.prototype as object) as object, data);
  }
}
