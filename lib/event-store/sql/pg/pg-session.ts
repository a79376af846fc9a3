import pg from 'pg';
import { guardConnection } from './connection-errors.js';
import type { SqlSession } from '../sql-driver.interface.js';

/** A `pg.Client` of its own, outside the pool, whose end is reported at once. */
export class PgSession implements SqlSession {
  private isEnded = false;
  private readonly endListeners: Array<() => void> = [];
  /** Settles when the last query handed to the client has: the next one waits for it. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(private readonly client: pg.Client) {
    // An unhandled 'error' would crash the process; a failed connection simply ends the session.
    client.on('error', () => this.end());
    client.on('end', () => this.end());
  }

  /** Connects a new session; keep-alive makes a silently dead peer noticed. */
  static async connect(config: pg.ClientConfig): Promise<PgSession> {
    const client = new pg.Client({ ...config, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    const session = new PgSession(client);
    await guardConnection(() => client.connect());
    return session;
  }

  get ended(): boolean {
    return this.isEnded;
  }

  /** The underlying client, for LISTEN. */
  get raw(): pg.Client {
    return this.client;
  }

  /**
   * Queries run one after another: several subscriptions share this connection, and `pg` 8 warns
   * about (and `pg` 9 refuses) a query handed to a client that is still running another.
   */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }> {
    const run = this.tail.then(() => guardConnection(() => this.client.query(text, params) as unknown as Promise<{ rows: R[] }>));
    this.tail = run.catch(() => undefined);
    return run;
  }

  onEnd(listener: () => void): void {
    if (this.isEnded) queueMicrotask(listener);
    else this.endListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.isEnded) return;
    await this.client.end().catch(() => undefined);
    this.end();
  }

  private end(): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.client.removeAllListeners('notification');
    this.endListeners.splice(0).forEach((listener) => listener());
    // After a failure the socket may linger half-open; make sure it is released.
    this.client.end().catch(() => undefined);
  }
}
