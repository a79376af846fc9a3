import { performance } from 'node:perf_hooks';
import type { ClusterNode } from '../lib/cluster/cluster-node.js';
import type { EventSourcingModuleOptions } from '../lib/index.js';
import type { BenchApp } from './bench-app.js';
import { CreditWallet, WALLET_PREFIX } from './bench-domain.js';
import type { Figures } from './bench-measure.js';
import { NodeProcess } from './node-process.js';

/** How the victim goes away: `kill -9`, or SIGTERM (it leaves and tells its peers). */
export type Departure = 'kill' | 'stop';

const WALLETS = 12;
const GIVE_UP_MS = 20_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits, bounded, until `node` sees (or no longer sees) the member `name`. */
async function untilMember(node: ClusterNode, name: string, present: boolean): Promise<void> {
  for (let i = 0; i < GIVE_UP_MS / 50; i++) {
    if (node.members.includes(name) === present) return;
    await sleep(50);
  }
  throw new Error(`${node.name} still ${present ? 'does not see' : 'sees'} ${name} after ${GIVE_UP_MS} ms`);
}

/** Sends the credit until it succeeds; resolves with the time it first did. */
async function firstSuccess(via: BenchApp, walletId: string): Promise<number> {
  const deadline = performance.now() + GIVE_UP_MS;
  for (;;) {
    try {
      await via.gateway.dispatch(new CreditWallet(walletId, 1), { timeout: 10_000 });
      return performance.now();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await sleep(20);
    }
  }
}

/**
 * One failover round: a node in its own process joins, its wallets are loaded through `via`,
 * then it goes away; the figure is the time from its departure until every one of its wallets
 * took a command again through `via` (the last of them; their median beside it).
 */
export async function failoverRound(
  via: BenchApp,
  node: ClusterNode,
  victim: EventSourcingModuleOptions,
  departure: Departure,
  token: string,
): Promise<Figures> {
  const victimProcess = await NodeProcess.start(victim);
  try {
    const name = victim.nodeName!;
    await untilMember(node, name, true);
    const wallets: string[] = [];
    for (let i = 0; wallets.length < WALLETS && i < WALLETS * 50; i++)
      if (node.ownerOf(`${WALLET_PREFIX}${token}-${i}`) === name) wallets.push(`${token}-${i}`);
    for (const id of wallets) await via.gateway.dispatch(new CreditWallet(id, 1));
    const exited = new Promise((resolve) => victimProcess.child.once('exit', resolve));
    const gone = performance.now();
    victimProcess.child.kill(departure === 'kill' ? 'SIGKILL' : 'SIGTERM');
    const served = (await Promise.all(wallets.map((id) => firstSuccess(via, id)))).map((at) => at - gone).sort((a, b) => a - b);
    await exited;
    return { ms: served[served.length - 1], median: served[Math.floor(served.length / 2)] };
  } finally {
    victimProcess.kill();
  }
}
