import type { SqlExecutor } from '../sql-executor.interface.js';

/** Appends within this window share one notification while they come one at a time. */
const MIN_COALESCE_MS = 2;
/** The longest the window grows to under sustained load: the wake-up a busy writer's peers may wait for. */
const MAX_COALESCE_MS = 50;

/**
 * Announces new events with NOTIFY after the append has committed. A NOTIFY inside the append's
 * transaction would make PostgreSQL serialize every such commit behind one server-wide lock
 * (no group commit); sent on its own it needs no flush. Notifications are coalesced: one at a
 * time, carrying the highest position, at most one per window. The window doubles while each
 * notification carries several appends, up to {@link MAX_COALESCE_MS}, and is back to
 * {@link MIN_COALESCE_MS} as soon as one carries a single append: under load notifications cost a
 * few round trips a second instead of a fraction of the appends (each one a query and a pooled
 * connection), while a lone append still wakes its readers at once. This process's own listeners
 * are told directly; other nodes also hear through the pubsub, and poll.
 */
export class AppendNotifier {
  private highest = 0;
  private sent = 0;
  private scheduled = false;
  /** Appends announced since the last notification was sent. */
  private carried = 0;
  private window = MIN_COALESCE_MS;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly channel: string,
    /** Sent with each position, so the sending store can tell its own notifications apart. */
    private readonly sender: string,
  ) {}

  notify(position: number): void {
    this.highest = Math.max(this.highest, position);
    this.carried++;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.sent >= this.highest) return;
    this.scheduled = true;
    setTimeout(() => void this.flush(), this.window).unref();
  }

  private async flush(): Promise<void> {
    const position = this.highest;
    this.window = this.carried > 1 ? Math.min(MAX_COALESCE_MS, this.window * 2) : MIN_COALESCE_MS;
    this.carried = 0;
    // A wake-up only: readers poll too, so a lost notification costs latency, never events.
    await this.sql.query('SELECT pg_notify($1, $2)', [this.channel, `${this.sender}:${position}`]).catch(() => undefined);
    this.sent = position;
    this.scheduled = false;
    this.schedule();
  }
}
