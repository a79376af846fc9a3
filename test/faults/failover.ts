import { bank } from '../harness/bank.js';
import type { SampleCluster } from '../harness/sample-cluster.js';
import type { SampleNode } from '../harness/sample-node.js';

/** Subscriptions `node` runs right now (none when it does not answer). */
export async function runningOn(node: SampleNode): Promise<string[]> {
  const health = await bank.health(node).catch(() => undefined);
  return health?.subscriptions.filter((s) => s.state === 'running').map((s) => s.name) ?? [];
}

/**
 * Only stops a hung case: how fast a takeover is depends on the machine's load, so the fault cases
 * assert that it happens and report how long it took; timing bounds belong to bench/.
 */
export const FAILOVER_GIVE_UP_MS = 90_000;

/**
 * Waits until every one of `names` runs on some live node other than `gone`, polled every 100 ms,
 * and says after how many ms (for the report). Throws when that did not happen in `giveUpMs`.
 */
export async function awaitFailover(cluster: SampleCluster, gone: SampleNode, names: string[], giveUpMs = FAILOVER_GIVE_UP_MS): Promise<number> {
  const started = Date.now();
  let missing = names;
  while (Date.now() - started <= giveUpMs) {
    const others = cluster.running().filter((node) => node !== gone);
    const running = new Set((await Promise.all(others.map(runningOn))).flat());
    missing = names.filter((name) => !running.has(name));
    if (!missing.length) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${missing.join(', ')} not taken over from ${gone.name} by another node in ${giveUpMs} ms\n${cluster.tails(15)}`);
}
