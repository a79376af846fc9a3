import { bank } from './bank.js';
import { eventually } from './eventually.js';
import { withClient } from './postgres-schema.js';
import type { SampleCluster } from './sample-cluster.js';
import type { SampleNode } from './sample-node.js';

/** The sample's `account-ledger` projector, spread over partitions when `LEDGER_PARTITIONS` is set. */
export const LEDGER = 'account-ledger';

/** What the ledger says about the account events of a schema. */
export interface LedgerCheck {
  /** Account events in the store. */
  events: number;
  /** Events with no ledger line. */
  missing: string[];
  /** Events delivered (committed) more than once. */
  repeated: string[];
  /** Ledger lines written per node. */
  byNode: Record<string, number>;
}

/** Compares the ledger lines with the account events stored, by event id: each must have one line, delivered once. */
export function checkLedger(schema: string): Promise<LedgerCheck> {
  return withClient(async (client) => {
    const { rows } = await client.query<{ event_id: string; deliveries: number | null; node: string | null }>(
      `SELECT e.event_id, l.deliveries, l.node FROM "${schema}".events e LEFT JOIN "${schema}".bank_ledger l USING (event_id)
        WHERE e.stream_id LIKE 'account-%'`,
    );
    const byNode: Record<string, number> = {};
    for (const row of rows) if (row.node) byNode[row.node] = (byNode[row.node] ?? 0) + 1;
    return {
      events: rows.length,
      missing: rows.filter((row) => row.deliveries === null).map((row) => row.event_id),
      repeated: rows.filter((row) => (row.deliveries ?? 0) > 1).map((row) => row.event_id),
      byNode,
    };
  });
}

/** Which node runs each partition of the ledger, by index, from the `/status` of every answering node. */
export async function ledgerHolders(cluster: SampleCluster | SampleNode[], partitions: number): Promise<string[][]> {
  const holders: string[][] = Array.from({ length: partitions }, () => []);
  const nodes = Array.isArray(cluster) ? cluster : cluster.running();
  for (const node of nodes.filter((each) => each.running)) {
    const health = await bank.health(node).catch(() => undefined);
    const ledger = health?.subscriptions.find((subscription) => subscription.name === LEDGER);
    ledger?.partitions?.forEach((partition) => partition.state === 'running' && holders[partition.index].push(node.name));
  }
  return holders;
}

/**
 * Waits until every partition runs on exactly one of `nodes`, each of them holding its share (the
 * assignment balances them: ⌊partitions / nodes⌋ each, or one more); returns the holders by
 * partition. A node holding some but not yet its share is a rebalance still under way. `timeout`
 * bounds the wait: it spans a dead node's member timeout.
 */
export function settledOn(nodes: SampleNode[], partitions: number, timeout: number): Promise<string[]> {
  const share = Math.floor(partitions / nodes.length);
  return eventually(
    async () => {
      const holders = await ledgerHolders(nodes, partitions);
      expect(holders.map((names) => names.length)).toEqual(Array(partitions).fill(1));
      const held = nodes.map((node) => holders.filter(([name]) => name === node.name).length);
      expect(held.filter((count) => count !== share && count !== share + 1)).toEqual([]);
      return holders.map(([name]) => name);
    },
    { timeout, interval: 200 },
  );
}

/** Deposits of 1 on `accounts` through the running `nodes()` in turn until `until()` says stop, counting those answered 200 in `answered`. */
export async function depositUntil(nodes: () => SampleNode[], accounts: string[], until: () => boolean, answered: { count: number }): Promise<void> {
  for (let i = 0; !until(); i++) {
    const live = nodes().filter((node) => node.running);
    const response = await bank.deposit(live[i % live.length], accounts[i % accounts.length], 1).catch(() => undefined);
    if (response?.status === 200) answered.count++;
  }
}
