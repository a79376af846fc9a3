import type { Logger } from '@nestjs/common';

/** The part of an ioredis connection the monitor reads. */
export interface MonitoredConnection {
  status: string;
}

/**
 * Tracks whether every Redis connection of a pubsub is ready, and logs each change once: the
 * transport underneath retries quietly, so these lines are the operator's view of the link.
 */
export class RedisConnectionMonitor {
  connected = false;
  since = new Date();
  private everConnected = false;
  private closed = false;
  private lastError?: string;
  private dropped = 0;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly logger: Logger,
    private readonly address: string,
    private readonly retryDelay: number,
    private readonly connections: () => MonitoredConnection[],
    private readonly expected: number,
  ) {}

  /** Re-reads the connections after any of them changed state. */
  update(): void {
    if (this.closed) return;
    const all = this.connections();
    const connected = all.length === this.expected && all.every((connection) => connection.status === 'ready');
    if (connected === this.connected) return;
    const downFor = Date.now() - this.since.getTime();
    this.connected = connected;
    this.since = new Date();
    if (connected) this.onConnected(downFor);
    else this.onDisconnected();
  }

  /** Remembers why the link failed, for the next disconnection line. */
  recordError(error: unknown): void {
    this.lastError = error instanceof Error ? error.message : String(error);
  }

  /** Counts a message that could not be sent; the first one of an outage is logged with its cause. */
  recordDrop(channel: string, error: unknown): void {
    if (this.dropped++ > 0) return;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`Dropped a message on '${channel}' (${reason}); later drops are counted until Redis is back`);
  }

  /** Resolves once connected, or after `timeoutMs` (returning false) so a node can start without Redis. */
  waitConnected(timeoutMs: number): Promise<boolean> {
    if (this.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Stops reporting: the owner is shutting the connections down on purpose. */
  close(): void {
    this.closed = true;
    this.connected = false;
    this.since = new Date();
  }

  private onConnected(downForMs: number): void {
    if (!this.everConnected) {
      this.logger.log(`Connected to Redis at ${this.address}`);
    } else {
      this.logger.log(
        `Reconnected to Redis at ${this.address} after ${(downForMs / 1000).toFixed(1)} s; ${this.dropped} message(s) were dropped meanwhile`,
      );
    }
    this.everConnected = true;
    this.dropped = 0;
    this.lastError = undefined;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private onDisconnected(): void {
    this.logger.warn(
      `Disconnected from Redis at ${this.address} (${this.lastError ?? 'connection closed'}); retrying every ${this.retryDelay} ms. ` +
        'Messages are dropped until then; subscribers keep up by polling the event store',
    );
  }
}
