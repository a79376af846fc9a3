import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { ClusterNode } from '../lib/cluster/cluster-node.js';
import type { EventSourcingModuleOptions } from '../lib/index.js';
import type { BenchApp } from './bench-app.js';
import { CreditWallet, WALLET_PREFIX } from './bench-domain.js';
import type { Figures } from './bench-measure.js';

/** How the victim goes away: `kill -9`, or SIGTERM (it leaves and tells its peers). */
export type Departure = 'kill' | 'stop';

const CHILD = new URL('./cluster-node-process.js', import.meta.url).pathname;
const WALLETS = 12;
const GIVE_UP_MS = 20_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a node in its own process and resolves once it printed `ready`. */
async function startVictim(options: EventSourcingModuleOptions): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CHILD], {
    env: { ...process.env, B9_NODE_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The victim node did not start within ${GIVE_UP_MS} ms: ${errors}`)), GIVE_UP_MS);
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && (clearTimeout(timer), resolve()));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`The victim node exited (${code}): ${errors}`))));
  });
  return child;
}

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
  const child = await startVictim(victim);
  try {
    const name = victim.nodeName!;
    await untilMember(node, name, true);
    const wallets: string[] = [];
    for (let i = 0; wallets.length < WALLETS && i < WALLETS * 50; i++)
      if (node.ownerOf(`${WALLET_PREFIX}${token}-${i}`) === name) wallets.push(`${token}-${i}`);
    for (const id of wallets) await via.gateway.dispatch(new CreditWallet(id, 1));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const gone = performance.now();
    child.kill(departure === 'kill' ? 'SIGKILL' : 'SIGTERM');
    const served = (await Promise.all(wallets.map((id) => firstSuccess(via, id)))).map((at) => at - gone).sort((a, b) => a - b);
    await exited;
    return { ms: served[served.length - 1], median: served[Math.floor(served.length / 2)] };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
