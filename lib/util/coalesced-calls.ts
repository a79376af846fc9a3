interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs calls in batches, one batch at a time: the calls made in the same turn of the event loop go
 * together, and so do those made while a batch runs. On a connection that takes one statement at a
 * time, N calls then cost about one round trip instead of N in a row. A failed batch fails each
 * of its calls.
 */
export class CoalescedCalls<I, O> {
  private waiting: Array<Waiting<I, O>> = [];
  private running = false;

  /** `run` answers a batch of inputs with one output per input, in the same order. */
  constructor(private readonly run: (inputs: I[]) => Promise<O[]>) {}

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (this.running) return;
      this.running = true;
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length) {
      const batch = this.waiting.splice(0);
      try {
        const outputs = await this.run(batch.map((w) => w.input));
        batch.forEach((w, i) => w.resolve(outputs[i]));
      } catch (error) {
        batch.forEach((w) => w.reject(error));
      }
    }
    this.running = false;
  }
}
