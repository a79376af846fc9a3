import { Aggregate, Apply, DomainError, Execute } from '../../lib/index.js';
import { CompleteTransfer, FailTransfer, RequestTransfer } from './transfer.commands.js';
import { TransferCompleted, TransferFailed, TransferRefused, TransferRequested } from './transfer.events.js';

type Status = 'none' | 'pending' | 'completed' | 'failed';

/** The record of one transfer; the money itself moves through the accounts. */
@Aggregate({ identity: 'transferId', prefix: 'transfer-' })
export class Transfer {
  status: Status = 'none';

  @Execute(RequestTransfer)
  request({ transferId, from, to, amount, refusal }: RequestTransfer) {
    if (this.status !== 'none') throw new DomainError(`Transfer '${transferId}' already exists`, 'TRANSFER_EXISTS');
    return refusal ? new TransferRefused(transferId, from, to, amount, refusal) : new TransferRequested(transferId, from, to, amount);
  }

  @Execute(CompleteTransfer)
  complete({ transferId }: CompleteTransfer) {
    return this.status === 'pending' ? new TransferCompleted(transferId) : [];
  }

  @Execute(FailTransfer)
  fail({ transferId, reason }: FailTransfer) {
    return this.status === 'pending' ? new TransferFailed(transferId, reason) : [];
  }

  @Apply(TransferRequested)
  requested() {
    this.status = 'pending';
  }

  @Apply(TransferCompleted)
  completed() {
    this.status = 'completed';
  }

  @Apply(TransferFailed)
  @Apply(TransferRefused)
  failed() {
    this.status = 'failed';
  }
}
