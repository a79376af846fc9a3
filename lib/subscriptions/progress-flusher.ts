import type { ProgressWrite } from '../event-store/progress-write.js';

/**
 * Group commit of a subscription's progress: at most one write in flight; whatever finishes while
 * it runs goes with the next one. `acknowledged` hears each checkpoint once it is stored.
 */
export class ProgressFlusher {
  private writing?: Promise<void>;
  private dirty = false;
  private failure?: { error: unknown };

  constructor(
    private readonly snapshot: () => ProgressWrite,
    private readonly save: (write: ProgressWrite) => Promise<void>,
    private readonly acknowledged: (checkpoint: number) => void,
  ) {}

  /** Asks for a write soon; never waits. A failed write is rethrown by the next `flush()`. */
  request(): void {
    this.dirty = true;
    // After a failure nothing more is written; the loop would end before its first await and so
    // clear `writing` before being assigned to it.
    if (!this.writing && !this.failure) this.writing = this.loop();
  }

  /** Writes what is pending and waits until it is stored. */
  async flush(): Promise<void> {
    this.request();
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure.error;
  }

  private async loop(): Promise<void> {
    try {
      while (this.dirty && !this.failure) {
        this.dirty = false;
        const write = this.snapshot();
        await this.save(write);
        this.acknowledged(write.checkpoint);
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.writing = undefined;
    }
  }
}
