import { DOMAIN_EVENT_METADATA } from '../constants.js';

/** Stored identity of an event class. */
export interface DomainEventMetadata {
  name: string;
  /** Schema version written with each event; upcasters lift older ones. @default 1 */
  version: number;
}

/**
 * Marks a class as a domain event stored under `name`. Only classes carrying it are ever
 * instantiated from stored data.
 */
export function DomainEvent(name: string, options: { version?: number } = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(DOMAIN_EVENT_METADATA, { name, version: options.version ?? 1 }, target);
  };
}
