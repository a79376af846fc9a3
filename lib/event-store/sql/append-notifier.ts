import type { SqlExecutor } from '../sql-executor.interface.js';

/** Appends within this window share one notification. */
const COALESCE_MS = 2;

/**
 * Announces new events with NOTIFY after the append has committed. A NOTIFY inside the append's
 * transaction would make PostgreSQL serialize every such commit behind one server-wide lock
 * (no group commit); sent on its own it needs no flush. Notifications are coalesced: one at a
 * time, at most one per {@link COALESCE_MS}, carrying the highest position, so under load they
 * cost a small fraction of the appends. This process's own listeners are told directly.
 */
export class AppendNotifier {
  private highest = 0;
  private sent = 0;
  private scheduled = false;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly channel: string,
    /** Sent with each position, so the sending store can tell its own notifications apart. */
    private readonly sender: string,
  ) {}

  notify(position: number): void {
    this.highest = Math.max(this.highest, position);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.sent >= this.highest) return;
    this.scheduled = true;
    setTimeout(() => void this.flush(), COALESCE_MS).unref();
  }

  private async flush(): Promise<void> {
    const position = this.highest;
    // A wake-up only: readers poll too, so a lost notification costs latency, never events.
    await this.sql.query('SELECT pg_notify($1, $2)', [this.channel, `${this.sender}:${position}`]).catch(() => undefined);
    this.sent = position;
    this.scheduled = false;
    this.schedule();
  }
}
