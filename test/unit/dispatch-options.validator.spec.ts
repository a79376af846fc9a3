import { validateDispatchOptions } from '../../lib/commands/dispatch-options.validator.js';
import { ANY, type DispatchOptions, type InvalidOptionsError, isInvalidOptions, NO_STREAM, STREAM_EXISTS } from '../../lib/index.js';

const subscriptions = () => ['balances'];

/** The problems `validateDispatchOptions` names for `options`; fails the test when it accepts them. */
function problemsOf(options: unknown): string[] {
  try {
    validateDispatchOptions(options as DispatchOptions, subscriptions);
  } catch (error) {
    expect(isInvalidOptions(error)).toBe(true);
    return (error as InvalidOptionsError).problems;
  }
  throw new Error(`expected InvalidOptionsError for ${JSON.stringify(options)}`);
}

describe('dispatch options', () => {
  it('accepts every expected version the store knows: a whole number of events or a named one', () => {
    for (const expectedVersion of [0, 1, 41, 2 ** 31 - 1, ANY, NO_STREAM, STREAM_EXISTS]) {
      expect(() => validateDispatchOptions({ expectedVersion }, subscriptions)).not.toThrow();
    }
  });

  it('refuses any other expected version, naming the option, what it accepts and what it got', () => {
    const accepted = `must be a whole number from 0 to 2147483647 or one of 'any', 'no_stream', 'stream_exists'`;
    const cases: Array<[unknown, string]> = [
      [-1, '-1'],
      [1.5, '1.5'],
      [2 ** 31, '2147483648'],
      [Number.NaN, 'NaN'],
      ['7', '"7"'],
      ['W/"7"', '"W/\\"7\\""'],
      ['ANY', '"ANY"'],
      [null, 'null'],
      [{}, '[object Object]'],
      [7n, '7'],
    ];
    for (const [expectedVersion, shown] of cases) {
      expect(problemsOf({ expectedVersion })).toEqual([`'expectedVersion' ${accepted}, got ${shown}`]);
    }
  });

  it('names an expected version among the other problems of one dispatch', () => {
    expect(problemsOf({ expectedVersion: -2, timeout: 0, returning: 'all' })).toEqual([
      `'timeout' must be a positive number of ms, got 0`,
      `'returning' must be one of 'none', 'aggregateVersion', 'events', 'aggregateState', 'executionResult', got "all"`,
      `'expectedVersion' must be a whole number from 0 to 2147483647 or one of 'any', 'no_stream', 'stream_exists', got -2`,
    ]);
  });
});
