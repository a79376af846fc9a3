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
