import { type BatchContext, type BatchItem, EventHandler, On, OnBatch, Projector } from '../lib/index.js';
import { WalletCredited } from './bench-domain.js';

/**
 * A projector named `name` writing a page of credits to `table` with ONE statement in its
 * checkpoint's transaction: credits are summed per wallet first (one row may appear once per
 * statement), then upserted from arrays.
 */
export function sqlBatchProjectorOf(name: string, table: string) {
  @Projector({ name })
  class WalletTableBatchProjector {
    @OnBatch(WalletCredited)
    async credited(events: Array<BatchItem<WalletCredited>>, batch: BatchContext) {
      const wallets = new Map<string, { credits: number; amount: number; position: number }>();
      for (const { event, context } of events) {
        const entry = wallets.get(event.walletId) ?? { credits: 0, amount: 0, position: 0 };
        wallets.set(event.walletId, { credits: entry.credits + 1, amount: entry.amount + event.amount, position: context.globalPosition });
      }
      const rows = [...wallets.entries()];
      await batch.sql!.query(
        `INSERT INTO ${table} AS w (wallet_id, credits, balance, position)
         SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[])
         ON CONFLICT (wallet_id) DO UPDATE SET credits = w.credits + EXCLUDED.credits, balance = w.balance + EXCLUDED.balance, position = EXCLUDED.position`,
        [rows.map(([id]) => id), rows.map(([, w]) => w.credits), rows.map(([, w]) => w.amount), rows.map(([, w]) => w.position)],
      );
    }
  }
  return WalletTableBatchProjector;
}

/** An event handler named `name` that waits `ioMs` per event (a call to another service), counting into `handled`; spread over `spread` partitions when given. */
export function ioHandlerOf(name: string, concurrency: number, ioMs: number, handled: { events: number }, spread?: number) {
  @EventHandler({ name, concurrency, ...(spread ? { spread: { partitions: spread } } : {}) })
  class SlowCallHandler {
    @On(WalletCredited)
    async credited() {
      await new Promise((resolve) => setTimeout(resolve, ioMs));
      handled.events++;
    }
  }
  return SlowCallHandler;
}
