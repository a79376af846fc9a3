import { withClient } from '../harness/postgres-schema.js';

/** Watches `<schema>.subscriptions` and remembers every checkpoint that moved backwards. */
export interface CheckpointMonitor {
  readonly samples: number;
  readonly regressions: string[];
  stop(): Promise<void>;
}

/** Reads every checkpoint each `intervalMs` on one connection until stopped. */
export async function watchCheckpoints(schema: string, intervalMs = 100): Promise<CheckpointMonitor> {
  const highest = new Map<string, number>();
  const monitor = { samples: 0, regressions: [] as string[], stop: async () => {} };
  let running = true;
  const loop = withClient(async (client) => {
    while (running) {
      const { rows } = await client.query(`SELECT name, position FROM "${schema}".subscriptions`);
      for (const { name, position } of rows) {
        const seen = highest.get(name) ?? 0;
        if (Number(position) < seen) monitor.regressions.push(`${name}: ${seen} -> ${position}`);
        highest.set(name, Math.max(seen, Number(position)));
      }
      monitor.samples++;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  });
  monitor.stop = async () => {
    running = false;
    await loop;
  };
  return monitor;
}
