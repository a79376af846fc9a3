import { ContinuedBy, ProcessManager, StartedBy, StoppedBy } from '../../lib/index.js';
import { DepositMoney, RefundMoney, WithdrawMoney } from '../accounts/account.commands.js';
import { DepositRefused, MoneyDeposited, MoneyRefunded, MoneyWithdrawn, WithdrawalRefused } from '../accounts/account.events.js';
import { CompleteTransfer, FailTransfer } from './transfer.commands.js';
import { TransferCompleted, TransferFailed, TransferRequested } from './transfer.events.js';

const byTransfer = (event: { transferId?: string }) => event.transferId;

/**
 * Moves money between two accounts: withdraw from the source, deposit to the target; when the
 * deposit is refused, refund the source. Events without a transfer id are not its business.
 */
@ProcessManager({ name: 'transfer-money' })
export class TransferMoney {
  transferId = '';
  from = '';
  to = '';
  amount = 0;

  @StartedBy(TransferRequested, byTransfer)
  start(event: TransferRequested) {
    Object.assign(this, { transferId: event.transferId, from: event.from, to: event.to, amount: event.amount });
    return new WithdrawMoney(event.from, event.amount, event.transferId);
  }

  @ContinuedBy(MoneyWithdrawn, byTransfer)
  withdrawn() {
    return new DepositMoney(this.to, this.amount, this.transferId);
  }

  @ContinuedBy(WithdrawalRefused, byTransfer)
  withdrawalRefused(event: WithdrawalRefused) {
    return new FailTransfer(this.transferId, `withdrawal refused: ${event.reason}`);
  }

  @ContinuedBy(MoneyDeposited, byTransfer)
  deposited() {
    return new CompleteTransfer(this.transferId);
  }

  @ContinuedBy(DepositRefused, byTransfer)
  depositRefused() {
    return new RefundMoney(this.from, this.amount, this.transferId);
  }

  @ContinuedBy(MoneyRefunded, byTransfer)
  refunded() {
    return new FailTransfer(this.transferId, 'deposit refused; amount refunded');
  }

  @StoppedBy(TransferCompleted, byTransfer)
  @StoppedBy(TransferFailed, byTransfer)
  finished() {}
}
