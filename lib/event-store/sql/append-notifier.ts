import type { SqlExecutor } from '../sql-executor.interface.js';

/** NOTIFY payloads are limited to 8000 bytes; a notice whose types would not fit leaves them out. */
const MAX_NOTICE_BYTES = 7_900;

/** What one notification says: who sent it, the newest position, and the types appended (absent: unknown). */
export interface AppendNotice {
  sender: string;
  position?: number;
  types?: string[];
}

/**
 * `sender:position:["TypeA","TypeB"]`. Readers that know only `sender:position` read the first two
 * fields and ignore the rest, so nodes of both kinds can share a store during an upgrade.
 */
function appendNotice(sender: string, position: number, types: string[]): string {
  const notice = `${sender}:${position}:${JSON.stringify(types)}`;
  return Buffer.byteLength(notice) <= MAX_NOTICE_BYTES ? notice : `${sender}:${position}`;
}

/** Reads a notification's payload; an empty one (sent after a reconnect) says nothing but "look". */
export function parseAppendNotice(payload?: string): AppendNotice {
  const [sender = '', position, ...rest] = payload?.split(':') ?? [];
  const notice: AppendNotice = { sender };
  if (position) notice.position = Number(position);
  try {
    const types: unknown = rest.length ? JSON.parse(rest.join(':')) : undefined;
    if (Array.isArray(types) && types.every((type) => typeof type === 'string')) notice.types = types;
  } catch {
    // Not a list of types: wake for anything.
  }
  return notice;
}

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
 * connection), while a lone append still wakes its readers at once. Each carries the stored types
 * appended since the one before, so a reader that handles none of them need not wake. This process's own listeners
 * are told directly; other nodes also hear through the pubsub, and poll.
 */
export class AppendNotifier {
  private highest = 0;
  private sent = 0;
  private scheduled = false;
  /** Appends announced since the last notification was sent. */
  private carried = 0;
  private window = MIN_COALESCE_MS;
  /** Stored type names appended since the last notification. */
  private readonly types = new Set<string>();

  constructor(
    private readonly sql: SqlExecutor,
    private readonly channel: string,
    /** Sent with each position, so the sending store can tell its own notifications apart. */
    private readonly sender: string,
  ) {}

  /** Announces an append reaching `position` with events of `types`. */
  notify(position: number, types: readonly string[]): void {
    this.highest = Math.max(this.highest, position);
    this.carried++;
    for (const type of types) this.types.add(type);
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
    const types = [...this.types];
    this.types.clear();
    // A wake-up only: readers poll too, so a lost notification costs latency, never events.
    await this.sql.query('SELECT pg_notify($1, $2)', [this.channel, appendNotice(this.sender, position, types)]).catch(() => undefined);
    this.sent = position;
    this.scheduled = false;
    this.schedule();
  }
}
