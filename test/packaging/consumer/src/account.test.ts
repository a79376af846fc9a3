// The application's own test, on Jest in ESM mode, with the library's testing helpers.
import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { AggregateScenario } from 'nestjs-event-sourcing/testing';
import { Account, AccountOpened, OpenAccount } from './account.js';

describe('Account', () => {
  it('opens an account for its owner', async () => {
    (await AggregateScenario.for(Account).when(new OpenAccount('a-1', 'ada')))
      .thenEvents(new AccountOpened('a-1', 'ada'))
      .thenState((state) => expect(state.owner).toBe('ada'));
  });

  it('fails a scenario whose events differ', async () => {
    const outcome = await AggregateScenario.for(Account).when(new OpenAccount('a-1', 'ada'));
    expect(() => outcome.thenEvents(new AccountOpened('a-1', 'bob'))).toThrow();
  });
});
