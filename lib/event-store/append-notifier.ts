import type { SqlExecutor } from './event-store.interface.js';

/**
 * Announces new events with NOTIFY after the append has committed. A NOTIFY inside the append's
 * transaction would make PostgreSQL serialize every such commit behind one server-wide lock
 * (no group commit); sent on its own it needs no flush. At most one is in flight: appends that
 * commit meanwhile are folded into the next one, which carries the highest position.
 */
export class AppendNotifier {
  private highest = 0;
  private sent = 0;
  private flushing = false;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly channel: string,
    /** Sent with each position, so the sending store can tell its own notifications apart. */
    private readonly sender: string,
  ) {}

  notify(position: number): void {
    this.highest = Math.max(this.highest, position);
    if (!this.flushing) void this.flush();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.sent < this.highest) {
      const position = this.highest;
      // A wake-up only: readers poll too, so a lost notification costs latency, never events.
      await this.sql.query('SELECT pg_notify($1, $2)', [this.channel, `${this.sender}:${position}`]).catch(() => undefined);
      this.sent = position;
    }
    this.flushing = false;
  }
}
