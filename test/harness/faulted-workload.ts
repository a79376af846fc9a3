import { runWorkload, type SentCommand, type WorkloadOptions } from './bank-workload.js';

/** A {@link runWorkload} with faults injected between commands. */
export interface FaultedWorkload {
  sent: SentCommand[];
  /** How many of the steps ran: all of them unless the workload hit its `commands` cap first. */
  stepsRun: number;
}

/**
 * Runs the workload and the fault `steps` one after another, each once `every` more commands have
 * been acknowledged (2xx) since the previous step finished, and stops the workload `every`
 * acknowledged commands after the last one. Counts, not time: a busy machine sees the same faults
 * at the same points of the run as an idle one. `commands` only bounds a run that stops progressing.
 */
export async function runWorkloadWithFaults(
  options: Omit<WorkloadOptions, 'until'>,
  steps: Array<() => Promise<void>>,
  every: number,
): Promise<FaultedWorkload> {
  let acknowledged = 0;
  let ended = false;
  const waiting = new Set<{ target: number; resolve: () => void }>();
  const release = () => {
    for (const waiter of waiting) {
      if (!ended && acknowledged < waiter.target) continue;
      waiting.delete(waiter);
      waiter.resolve();
    }
  };
  const acknowledgedMore = (count: number) =>
    new Promise<void>((resolve) => {
      waiting.add({ target: acknowledged + count, resolve });
      release();
    });
  const onSent = async (sent: SentCommand, count: number) => {
    if (sent.status >= 200 && sent.status < 300) acknowledged++;
    release();
    await options.onSent?.(sent, count);
  };
  let stepsRun = 0;
  let finished = false;
  let failure: Error | undefined;
  const saboteur = (async () => {
    for (const step of steps) {
      await acknowledgedMore(every);
      if (ended) return;
      await step();
      stepsRun++;
    }
    await acknowledgedMore(every);
  })()
    .catch((error: unknown) => void (failure = error instanceof Error ? error : new Error(String(error))))
    .finally(() => (finished = true));
  const sent = await runWorkload({ ...options, onSent, until: () => finished });
  ended = true;
  release();
  await saboteur;
  if (failure) throw failure;
  return { sent, stepsRun };
}
