import { AggregateScenario } from '../../lib/testing/index.js';
import { DepositMoney, OpenAccount, WithdrawMoney } from '../../sample/accounts/account.commands.js';
import { InsufficientFundsError } from '../../sample/accounts/account.errors.js';
import { AccountOpened, MoneyDeposited, MoneyWithdrawn, WithdrawalRefused } from '../../sample/accounts/account.events.js';
import { BankAccount } from '../../sample/accounts/bank-account.aggregate.js';

describe('AggregateScenario (given / when / then)', () => {
  const account = () => AggregateScenario.for(BankAccount);

  it('checks the events a command produces and the state after them', async () => {
    (await account().given(new AccountOpened('a', 10)).when(new DepositMoney('a', 5)))
      .thenEvents(new MoneyDeposited('a', 5, 15))
      .thenState((state) => expect(state.balance).toBe(15));
  });

  it('checks a refused command', async () => {
    const outcome = await account().given(new AccountOpened('a', 10)).when(new WithdrawMoney('a', 50));
    outcome.thenError(InsufficientFundsError, 'INSUFFICIENT_FUNDS');
    expect(outcome.events).toEqual([]);
  });

  it('records a refusal for a transfer instead of throwing', async () => {
    (
      await account()
        .given(new AccountOpened('a', 10), new MoneyWithdrawn('a', 10, 0))
        .when(new WithdrawMoney('a', 1, 't'))
    ).thenEvents(new WithdrawalRefused('a', 1, 't', 'insufficient funds'));
  });

  it('fails its own assertions when the outcome differs', async () => {
    const outcome = await account().when(new OpenAccount('a', 10));
    expect(() => outcome.thenEvents(new AccountOpened('a', 11))).toThrow();
    expect(() => outcome.thenError(InsufficientFundsError)).toThrow(/Expected InsufficientFundsError but got no error/);
  });
});
