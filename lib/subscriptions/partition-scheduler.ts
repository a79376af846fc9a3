/** Work for one partition: runs in order with the partition's other work, one at a time. */
export interface PartitionTask {
  key: string;
  run(): Promise<void>;
}

/**
 * Runs tasks by partition: those of one key strictly one after another in the order given, those
 * of different keys in parallel, at most `concurrency` keys at a time. A key waiting for a slot is
 * served in the order it got work, so the oldest events move first and the checkpoint follows.
 * A task that throws stops the scheduler: no new task starts; `idle()` rethrows the first error.
 */
export class PartitionScheduler {
  private readonly queues = new Map<string, PartitionTask[]>();
  /** Keys with work and no slot yet, in the order they got it. */
  private readonly waiting: string[] = [];
  private readonly active = new Set<string>();
  private failure?: { error: unknown };
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly concurrency: number) {}

  /** The first error a task threw, if any. */
  get failed(): { error: unknown } | undefined {
    return this.failure;
  }

  /** Queues a task behind the other tasks of its key. */
  push(task: PartitionTask): void {
    const queue = this.queues.get(task.key);
    if (queue) return void queue.push(task);
    this.queues.set(task.key, [task]);
    if (this.active.size < this.concurrency && !this.failure) this.start(task.key);
    else this.waiting.push(task.key);
  }

  /** Resolves when no task runs and none waits (or, after a failure, when the running ones ended). */
  async idle(): Promise<void> {
    if (this.active.size) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (this.failure) throw this.failure.error;
  }

  private start(key: string): void {
    this.active.add(key);
    void this.work(key);
  }

  private async work(key: string): Promise<void> {
    const queue = this.queues.get(key)!;
    while (queue.length && !this.failure) {
      try {
        await queue[0].run();
      } catch (error) {
        this.failure ??= { error };
      }
      queue.shift();
    }
    this.queues.delete(key);
    this.active.delete(key);
    const next = this.failure ? undefined : this.waiting.shift();
    if (next !== undefined) this.start(next);
    else if (!this.active.size) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }
}
