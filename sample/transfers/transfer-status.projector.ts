import { type BatchContext, type BatchItem, OnBatch, Projector } from '../../lib/index.js';
import { tenantOfBatch } from '../read-model/batch-tenant.js';
import { ReadModel } from '../read-model/read-model.js';
import { TransferCompleted, TransferFailed, TransferRefused, TransferRequested } from './transfer.events.js';

type TransferEvent = TransferRequested | TransferCompleted | TransferRefused | TransferFailed;

/** What one event changes in its transfer's document. */
function patchOf(event: TransferEvent): Record<string, unknown> {
  if (event instanceof TransferRequested) {
    const { transferId, from, to, amount } = event;
    return { transferId, from, to, amount, status: 'pending' };
  }
  if (event instanceof TransferCompleted) return { status: 'completed' };
  if (event instanceof TransferRefused) {
    const { transferId, from, to, amount, reason } = event;
    return { transferId, from, to, amount, status: 'failed', reason };
  }
  return { status: 'failed', reason: event.reason };
}

/**
 * Keeps each transfer's status for `GET /transfers/:id`. It takes a page of events at a time and
 * writes it with one statement in the transaction that moves its checkpoint, so it keeps up with
 * many transfers at once.
 */
@Projector({ name: 'transfer-status', consistency: 'strong' })
export class TransferStatusProjector {
  constructor(private readonly readModel: ReadModel) {}

  @OnBatch(TransferRequested, TransferCompleted, TransferRefused, TransferFailed)
  project(items: Array<BatchItem<TransferEvent>>, batch: BatchContext) {
    return this.readModel.mergeAll(
      'transfer',
      items.map(({ event }) => [event.transferId, patchOf(event)]),
      batch.sql,
      tenantOfBatch(items),
    );
  }
}
