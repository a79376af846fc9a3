import { Aggregate, Apply, Execute } from '../../lib/index.js';
import { exactSum } from '../http/validation.js';
import { AccountAlreadyOpenError, AccountNotOpenError, AmountNotRepresentableError, InsufficientFundsError } from './account.errors.js';
import { DepositMoney, OpenAccount, RefundMoney, WithdrawMoney } from './account.commands.js';
import { AccountOpened, DepositRefused, MoneyDeposited, MoneyRefunded, MoneyWithdrawn, WithdrawalRefused } from './account.events.js';

/**
 * A bank account. Direct withdrawals beyond the balance are refused with an error; transfer
 * steps on an open account never throw but record a refusal event, which the transfer process
 * reacts to. Nothing is ever written to an account that is not open: a transfer naming one is
 * refused on the transfer's side before any step runs (see TransfersController). The holder is
 * not kept in the state: the account decides nothing on it, so its snapshots hold no personal data.
 */
@Aggregate({ identity: 'accountId', prefix: 'account-', snapshotEvery: 100 })
export class BankAccount {
  accountId?: string;
  balance = 0;
  open = false;

  @Execute(OpenAccount)
  openAccount({ accountId, initialBalance, holder }: OpenAccount) {
    if (this.open) throw new AccountAlreadyOpenError(accountId);
    return new AccountOpened(accountId, initialBalance, holder && { name: holder.name, email: holder.email });
  }

  @Execute(DepositMoney)
  deposit({ accountId, amount, transferId }: DepositMoney) {
    if (!this.open) throw new AccountNotOpenError(accountId);
    if (!exactSum(this.balance, amount)) {
      if (transferId) return new DepositRefused(accountId, amount, transferId, 'balance would exceed the largest exact amount');
      throw new AmountNotRepresentableError(accountId, this.balance, amount);
    }
    return new MoneyDeposited(accountId, amount, this.balance + amount, transferId);
  }

  @Execute(WithdrawMoney)
  withdraw({ accountId, amount, transferId }: WithdrawMoney) {
    if (!this.open) throw new AccountNotOpenError(accountId);
    if (this.balance >= amount) return new MoneyWithdrawn(accountId, amount, this.balance - amount, transferId);
    if (transferId) return new WithdrawalRefused(accountId, amount, transferId, 'insufficient funds');
    throw new InsufficientFundsError(accountId, this.balance, amount);
  }

  /** Gives back what a failed transfer took. Deposits since then may have filled the balance: refuse an inexact sum rather than store it. */
  @Execute(RefundMoney)
  refund({ accountId, amount, transferId }: RefundMoney) {
    if (!exactSum(this.balance, amount)) throw new AmountNotRepresentableError(accountId, this.balance, amount);
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

  /** A refusal is recorded for the transfer process to react to; it leaves the balance as it was. */
  @Apply(WithdrawalRefused)
  @Apply(DepositRefused)
  refused() {}
}
