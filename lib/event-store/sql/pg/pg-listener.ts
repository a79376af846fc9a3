import type pg from 'pg';
import { PgSession } from './pg-session.js';

const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 5000;

/**
 * Keeps one dedicated connection LISTENing on a channel, reconnecting with backoff when it drops.
 * NOTIFY messages sent while disconnected are gone, so every reconnect is reported as a wake-up.
 */
export class PgListener {
  private session?: PgSession;
  private stopped = false;
  private retryMs = FIRST_RETRY_MS;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    private readonly onMessage: (payload?: string) => void,
  ) {}

  start(): void {
    void this.connect(false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.session?.close();
  }

  private async connect(afterFailure: boolean): Promise<void> {
    if (this.stopped) return;
    let session: PgSession | undefined;
    try {
      session = await PgSession.connect(this.config);
      this.session = session;
      session.raw.on('notification', (message) => this.onMessage(message.payload));
      await session.query(`LISTEN "${this.channel}"`);
      session.onEnd(() => this.retry());
      if (this.stopped) return void (await session.close());
      this.retryMs = FIRST_RETRY_MS;
      if (afterFailure) this.onMessage();
    } catch {
      await session?.close();
      this.retry();
    }
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect(true);
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }
}
