import type { CommandGateway } from '../lib/index.js';
import { CreditWallet } from './bench-domain.js';
import { concurrently, type Figures, ratePerSecond } from './bench-measure.js';
import type { NodeProcess } from './node-process.js';

/** One node's part of a throughput round: the callers `w` with `w % nodes === node`. */
export interface CreditShare {
  /** Wallets are named `<prefix>-<i>`. */
  prefix: string;
  /** Credits of the whole round, all nodes together. */
  commands: number;
  /** Callers of the whole round. */
  workers: number;
  wallets: number;
  node: number;
  nodes: number;
}

/** Runs this node's callers of `share`: caller `w` sends credits `w`, `w + workers`, … one after another. */
export async function creditShare(gateway: CommandGateway, share: CreditShare): Promise<void> {
  await concurrently(share.workers, async (worker) => {
    if (worker % share.nodes !== share.node) return;
    for (let i = worker; i < share.commands; i += share.workers) await gateway.dispatch(new CreditWallet(`${share.prefix}-${i % share.wallets}`, 1));
  });
}

/**
 * Commands per second through node processes: `workers` concurrent callers in all, caller `w`
 * in process `w % nodes.length`, `commands` credits over `wallets` wallets named `<prefix>-<i>`.
 */
export async function clusterThroughput(nodes: NodeProcess[], prefix: string, commands: number, workers: number, wallets: number): Promise<Figures> {
  const rate = await ratePerSecond(commands, () =>
    Promise.all(nodes.map((via, node) => via.credits({ prefix, commands, workers, wallets, node, nodes: nodes.length }))),
  );
  return { rate };
}
