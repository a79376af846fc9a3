import type { BenchApp } from './bench-app.js';
import { CreditWallet } from './bench-domain.js';
import { concurrently, type Figures, ratePerSecond } from './bench-measure.js';

/**
 * Commands per second through `nodes`: `workers` concurrent loops, worker `w` dispatching through
 * node `w % nodes.length`, `commands` credits in all over `wallets` wallets named `<prefix>-<i>`.
 */
export async function clusterThroughput(nodes: BenchApp[], prefix: string, commands: number, workers: number, wallets: number): Promise<Figures> {
  const rate = await ratePerSecond(commands, () =>
    concurrently(workers, async (worker) => {
      const via = nodes[worker % nodes.length];
      for (let i = worker; i < commands; i += workers) await via.gateway.dispatch(new CreditWallet(`${prefix}-${i % wallets}`, 1));
    }),
  );
  return { rate };
}
