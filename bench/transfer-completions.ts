import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { PubSubChannels, type PubSub } from '../lib/pubsub/pubsub.interface.js';

/**
 * Watches transfers reach `completed` in the sample's transfer-status projection: each time that
 * projector acknowledges a position, the TransferCompleted events up to it are read, and the
 * transfers they name are complete as of that moment (the projection has committed them).
 */
export class TransferCompletions {
  /** Start time (performance.now()) of every transfer not yet seen completed. */
  private readonly pending = new Map<string, number>();
  /** Start and completion times of completed transfers. */
  readonly completed: Array<{ started: number; at: number }> = [];
  /** Transfers seen completed (so a late `started` does not reopen them). */
  private readonly finished = new Set<string>();
  private seen = 0;
  private acknowledged = 0;
  private reading = false;
  private readonly unsubscribe: () => void;

  constructor(
    pubsub: PubSub,
    private readonly pool: pg.Pool,
    private readonly schema: string,
    projector = 'transfer-status',
  ) {
    this.unsubscribe = pubsub.subscribe<{ name: string; position: number }>(PubSubChannels.ack, (ack) => {
      if (ack.name !== projector || ack.position <= this.acknowledged) return;
      this.acknowledged = ack.position;
      void this.read();
    });
  }

  get outstanding(): number {
    return this.pending.size;
  }

  /** Called before the transfer is requested, so an early completion is not missed, and again once it was accepted. */
  started(transferId: string, at = performance.now()): void {
    if (this.pending.has(transferId) || !this.finished.has(transferId)) this.pending.set(transferId, at);
  }

  /** Resolves once no started transfer is pending, or after `timeoutMs`; the number still pending. */
  async drained(timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (this.pending.size && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.pending.size;
  }

  /** Gives up on the transfers still pending: how long each has waited so far, in ms (a lower bound of its lag). */
  abandon(): number[] {
    const now = performance.now();
    const waited = [...this.pending.values()].map((started) => now - started);
    this.pending.clear();
    return waited;
  }

  close(): void {
    this.unsubscribe();
  }

  /** One read at a time, each up to the latest acknowledged position. */
  private async read(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      while (this.seen < this.acknowledged) {
        const upTo = this.acknowledged;
        const { rows } = await this.pool.query<{ id: string }>(
          `SELECT data->>'transferId' AS id FROM "${this.schema}".events
            WHERE global_position > $1 AND global_position <= $2 AND event_type = 'TransferCompleted'`,
          [this.seen, upTo],
        );
        const at = performance.now();
        for (const { id } of rows) {
          const started = this.pending.get(id);
          if (started === undefined) continue;
          this.pending.delete(id);
          this.finished.add(id);
          this.completed.push({ started, at });
        }
        this.seen = upTo;
      }
    } finally {
      this.reading = false;
    }
  }
}
