import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fromWireError, toWireError } from '../../lib/cluster/wire-error.js';
import {
  CommandTimeoutError,
  DomainError,
  EventSourcingError,
  InvalidCommandError,
  isCommandTimeout,
  isDomainError,
  isInvalidCommand,
  isNodeUnavailable,
  isWrongExpectedVersion,
  NodeUnavailableError,
  WrongExpectedVersionError,
} from '../../lib/index.js';

class InsufficientFunds extends DomainError {
  constructor(readonly balance: number) {
    super(`Balance ${balance} is too low`, 'INSUFFICIENT_FUNDS');
  }
}

/** Through JSON, as over the TCP link. */
const roundTrip = (error: unknown) => fromWireError(JSON.parse(JSON.stringify(toWireError(error))), 'peer');

describe('errors between nodes', () => {
  it('rebuilds library errors as their own class with their fields', () => {
    const conflict = roundTrip(new WrongExpectedVersionError('account-1', 3, 4));
    expect(conflict).toBeInstanceOf(WrongExpectedVersionError);
    expect(isWrongExpectedVersion(conflict)).toBe(true);
    expect(conflict).toMatchObject({
      streamId: 'account-1',
      expected: 3,
      actual: 4,
      code: 'WRONG_EXPECTED_VERSION',
      name: 'WrongExpectedVersionError',
    });
    expect(conflict.message).toBe(new WrongExpectedVersionError('account-1', 3, 4).message);

    const invalid = roundTrip(new InvalidCommandError('Deposit', ['amount must be positive']));
    expect(invalid).toBeInstanceOf(InvalidCommandError);
    expect(isInvalidCommand(invalid)).toBe(true);
    expect((invalid as InvalidCommandError).problems).toEqual(['amount must be positive']);

    expect(roundTrip(new CommandTimeoutError('Deposit', 5000))).toBeInstanceOf(CommandTimeoutError);
    expect(isCommandTimeout(roundTrip(new CommandTimeoutError('Deposit', 5000)))).toBe(true);
    const unavailable = roundTrip(new NodeUnavailableError('n2', 'leaving'));
    expect(isNodeUnavailable(unavailable)).toBe(true);
    expect(unavailable).toMatchObject({ node: 'n2', reason: 'leaving', retryable: true });
  });

  it('rebuilds a user domain error as a DomainError with the same code, message, name and fields', () => {
    const error = roundTrip(new InsufficientFunds(12));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(EventSourcingError);
    expect(isDomainError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INSUFFICIENT_FUNDS', message: 'Balance 12 is too low', name: 'InsufficientFunds', balance: 12 });
    expect(error.stack).toContain('at node peer');
  });

  it('keeps other errors as plain errors with their message', () => {
    const error = roundTrip(new TypeError('x is undefined'));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(EventSourcingError);
    expect(error).toMatchObject({ name: 'TypeError', message: 'x is undefined' });
    expect(roundTrip('a string').message).toBe('a string');
  });
});

/** Constructor arguments for error classes whose parameters are not all strings. */
const ARGUMENTS: Record<string, unknown[]> = {
  BooksNotCoveredError: [100, ['account-1'], 1],
  CommandTimeoutError: ['Deposit', 5000],
  ConsistencyTimeoutError: [['ledger', 'balances'], 42, 5000],
  EventSourcingError: ['SOME_CODE', 'something failed'],
  InlineProjectionFailedError: ['Balances', 'account-1', new Error('projector broke')],
  InvalidCommandError: ['Deposit', ['amount must be positive']],
  InvalidOptionsError: [['eventStore is required']],
  PayloadTooLargeError: ['Event Deposited', 2048, 1024],
  SchemaNotFoundError: ['shop', 'test', ['bank', 'events']],
  StoreConnectionError: ['database-not-found', 'database "nope_db" does not exist: createdb nope_db'],
  WaitTimeoutError: ['position 7', 1500],
  WrongExpectedVersionError: ['account-1', 3, 4],
};

type ErrorClass = new (...args: unknown[]) => EventSourcingError;

const isErrorClass = (value: unknown): value is ErrorClass =>
  typeof value === 'function' && (value === EventSourcingError || value.prototype instanceof EventSourcingError);

/** Every error class the library exports, taken from what lib/index.ts exports. */
const exportedErrors = async () => Object.values<unknown>(await import('../../lib/index.js')).filter(isErrorClass);

/** One instance of `type`, built from the arguments given above, or from strings for a class not listed. */
function instanceOf(type: ErrorClass): EventSourcingError {
  try {
    return new type(...(ARGUMENTS[type.name] ?? ['value-1', 'value-2', 'value-3']));
  } catch (error) {
    throw new Error(`${type.name} cannot be built from strings (${String(error)}): give it arguments in ARGUMENTS of this file`, { cause: error });
  }
}

/** An error's own fields as they are after JSON, the way the wire carries them. */
const fieldsOf = (error: Error) => JSON.parse(JSON.stringify({ ...error, name: undefined, code: undefined })) as Record<string, unknown>;

describe('every library error between nodes', () => {
  it('rebuilds each exported error class as itself, with its code, message, name and own fields', async () => {
    const types = await exportedErrors();
    expect(types.length).toBeGreaterThanOrEqual(26);
    const lost = types.filter((type) => {
      const sent = instanceOf(type);
      const received = roundTrip(sent);
      const kept =
        received instanceof type &&
        Object.getPrototypeOf(received) === type.prototype &&
        received.code === sent.code &&
        received.message === sent.message &&
        received.name === sent.name;
      expect(fieldsOf(received)).toEqual(fieldsOf(sent));
      return !kept;
    });
    expect(lost.map((type) => type.name)).toEqual([]);
  });

  it('gives each error class a code of its own', async () => {
    const codes = (await exportedErrors()).filter((type) => type !== EventSourcingError).map((type) => instanceOf(type).code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('covers every *.error.ts file of lib/errors: each class there is exported and crosses the wire', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'lib', 'errors');
    const files = (await readdir(dir)).filter((file) => file.endsWith('.error.ts'));
    expect(files.length).toBeGreaterThanOrEqual(26);
    const exported = new Set<unknown>(await exportedErrors());
    const missing: string[] = [];
    for (const file of files) {
      const classes = Object.values((await import(join(dir, file))) as Record<string, unknown>).filter(isErrorClass);
      if (!classes.length) missing.push(`${file} (no error class)`);
      for (const type of classes) {
        if (!exported.has(type)) missing.push(`${file}: ${type.name} is not exported by lib/index.ts (add it to lib/errors/index.ts)`);
        else if (!(roundTrip(instanceOf(type)) instanceof type)) missing.push(`${file}: ${type.name} loses its class on the wire`);
      }
    }
    expect(missing).toEqual([]);
  });
});
