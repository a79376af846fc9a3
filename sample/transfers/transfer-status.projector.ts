import { type EventContext, On, Projector } from '../../lib/index.js';
import { ReadModel } from '../read-model/read-model.js';
import { TransferCompleted, TransferFailed, TransferRefused, TransferRequested } from './transfer.events.js';

/** Keeps each transfer's status for `GET /transfers/:id`. */
@Projector({ name: 'transfer-status', consistency: 'strong' })
export class TransferStatusProjector {
  constructor(private readonly readModel: ReadModel) {}

  @On(TransferRequested)
  requested({ transferId, from, to, amount }: TransferRequested, ctx: EventContext) {
    return this.readModel.merge('transfer', transferId, { transferId, from, to, amount, status: 'pending' }, ctx.sql);
  }

  @On(TransferCompleted)
  completed({ transferId }: TransferCompleted, ctx: EventContext) {
    return this.readModel.merge('transfer', transferId, { status: 'completed' }, ctx.sql);
  }

  @On(TransferRefused)
  refused({ transferId, from, to, amount, reason }: TransferRefused, ctx: EventContext) {
    return this.readModel.merge('transfer', transferId, { transferId, from, to, amount, status: 'failed', reason }, ctx.sql);
  }

  @On(TransferFailed)
  failed({ transferId, reason }: TransferFailed, ctx: EventContext) {
    return this.readModel.merge('transfer', transferId, { status: 'failed', reason }, ctx.sql);
  }
}
