import { Aggregate, Apply, Execute } from '../../lib/index.js';
import { AccountAlreadyOpenError, AccountNotOpenError, InsufficientFundsError } from './account.errors.js';
import { DepositMoney, OpenAccount, RefundMoney, WithdrawMoney } from './account.commands.js';
import { AccountOpened, DepositRefused, MoneyDeposited, MoneyRefunded, MoneyWithdrawn, WithdrawalRefused } from './account.events.js';

/**
 * A bank account. Direct withdrawals beyond the balance are refused with an error; transfer
 * steps never throw but record a refusal event, which the transfer process reacts to.
 */
@Aggregate({ identity: 'accountId', prefix: 'account-', snapshotEvery: 100 })
export class BankAccount {
  accountId?: string;
  balance = 0;
  open = false;

  @Execute(OpenAccount)
  openAccount({ accountId, initialBalance }: OpenAccount) {
    if (this.open) throw new AccountAlreadyOpenError(accountId);
    return new AccountOpened(accountId, initialBalance);
  }

  @Execute(DepositMoney)
  deposit({ accountId, amount, transferId }: DepositMoney) {
    if (!this.open) {
      if (transferId) return new DepositRefused(accountId, amount, transferId, 'account is not open');
      throw new AccountNotOpenError(accountId);
    }
    return new MoneyDeposited(accountId, amount, this.balance + amount, transferId);
  }

  @Execute(WithdrawMoney)
  withdraw({ accountId, amount, transferId }: WithdrawMoney) {
    const problem = !this.open ? 'account is not open' : this.balance < amount ? 'insufficient funds' : undefined;
    if (problem && transferId) return new WithdrawalRefused(accountId, amount, transferId, problem);
    if (!this.open) throw new AccountNotOpenError(accountId);
    if (problem) throw new InsufficientFundsError(accountId, this.balance, amount);
    return new MoneyWithdrawn(accountId, amount, this.balance - amount, transferId);
  }

  @Execute(RefundMoney)
  refund({ accountId, amount, transferId }: RefundMoney) {
    return new MoneyRefunded(accountId, amount, this.balance + amount, transferId);
  }

  @Apply(AccountOpened)
  opened(event: AccountOpened) {
    this.accountId = event.accountId;
    this.balance = event.initialBalance;
    this.open = true;
  }

  @Apply(MoneyDeposited)
  @Apply(MoneyWithdrawn)
  @Apply(MoneyRefunded)
  balanceChanged(event: MoneyDeposited | MoneyWithdrawn | MoneyRefunded) {
    this.balance = event.balance;
  }
}
