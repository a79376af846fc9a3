import { AggregateNotFoundError } from '../errors/aggregate-not-found.error.js';
import { CommandRouteNotFoundError } from '../errors/command-route-not-found.error.js';
import { CommandTimeoutError } from '../errors/command-timeout.error.js';
import { ConfigurationError } from '../errors/configuration.error.js';
import { ConsistencyTimeoutError } from '../errors/consistency-timeout.error.js';
import { DomainError } from '../errors/domain.error.js';
import { DuplicateCommandError } from '../errors/duplicate-command.error.js';
import { DuplicateEventError } from '../errors/duplicate-event.error.js';
import { EventSourcingError } from '../errors/event-sourcing.error.js';
import { InvalidCommandError } from '../errors/invalid-command.error.js';
import { InvalidEventError } from '../errors/invalid-event.error.js';
import { InvalidIdentifierError } from '../errors/invalid-identifier.error.js';
import { InvalidOptionsError } from '../errors/invalid-options.error.js';
import { MissingAggregateIdentityError } from '../errors/missing-aggregate-identity.error.js';
import { NodeUnavailableError } from '../errors/node-unavailable.error.js';
import { PayloadTooLargeError } from '../errors/payload-too-large.error.js';
import { ShuttingDownError } from '../errors/shutting-down.error.js';
import { StoreUnavailableError } from '../errors/store-unavailable.error.js';
import { SubscriptionLostError } from '../errors/subscription-lost.error.js';
import { UnknownEventTypeError } from '../errors/unknown-event-type.error.js';
import { UnregisteredEventError } from '../errors/unregistered-event.error.js';
import { WaitTimeoutError } from '../errors/wait-timeout.error.js';
import { WrongExpectedVersionError } from '../errors/wrong-expected-version.error.js';

/** An error as it crosses between nodes: enough to rebuild the same class with the same fields. */
export interface WireError {
  name: string;
  code?: string;
  message: string;
  /** The error's own fields (streamId, problems, ...), as JSON. */
  fields: Record<string, unknown>;
  /** Thrown as a {@link DomainError} (subclasses included) on the node that ran the command. */
  domain: boolean;
}

type ErrorClass = { code: string; prototype: EventSourcingError };

const LIBRARY_ERRORS: ErrorClass[] = [
  AggregateNotFoundError,
  CommandRouteNotFoundError,
  CommandTimeoutError,
  ConfigurationError,
  ConsistencyTimeoutError,
  DuplicateCommandError,
  DuplicateEventError,
  InvalidCommandError,
  InvalidEventError,
  InvalidIdentifierError,
  InvalidOptionsError,
  MissingAggregateIdentityError,
  NodeUnavailableError,
  PayloadTooLargeError,
  ShuttingDownError,
  StoreUnavailableError,
  SubscriptionLostError,
  UnknownEventTypeError,
  UnregisteredEventError,
  WaitTimeoutError,
  WrongExpectedVersionError,
];
const BY_CODE = new Map(LIBRARY_ERRORS.map((type) => [type.code, type.prototype]));
const NOT_FIELDS = new Set(['name', 'code', 'message', 'stack', 'cause']);

/** Describes any thrown value for the wire. */
export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {}, domain: false };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) if (!NOT_FIELDS.has(key) && typeof value !== 'function') fields[key] = value;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
  } catch {
    json = {};
  }
  const code = (error as Partial<EventSourcingError>).code;
  return {
    name: error.name,
    code: typeof code === 'string' ? code : undefined,
    message: error.message,
    fields: json,
    domain: error instanceof DomainError,
  };
}

/**
 * Rebuilds an error received from another node: library errors as their own class, domain errors
 * as {@link DomainError} with the same name, code, message and fields (so mapping by code is
 * unchanged), anything else as a plain Error. Constructors are not run: the fields are the data.
 */
export function fromWireError(wire: WireError, node: string): Error {
  const prototype: Error = wire.domain
    ? DomainError.prototype
    : wire.code !== undefined
      ? (BY_CODE.get(wire.code) ?? EventSourcingError.prototype)
      : Error.prototype;
  const error = Object.assign(Object.create(prototype) as Error, wire.fields);
  const own = { writable: true, configurable: true, enumerable: false };
  Object.defineProperty(error, 'message', { ...own, value: wire.message });
  Object.defineProperty(error, 'stack', { ...own, value: `${wire.name}: ${wire.message}\n    at node ${node}` });
  Object.defineProperty(error, 'name', { ...own, enumerable: true, value: wire.name });
  if (wire.code !== undefined) Object.defineProperty(error, 'code', { ...own, enumerable: true, value: wire.code });
  return error;
}
