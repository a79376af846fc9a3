import { expect } from '@jest/globals';
import { ownerOf } from '../../lib/cluster/rendezvous.js';
import { bank } from '../harness/bank.js';
import type { SampleNode } from '../harness/sample-node.js';
import type { DepositOutcome } from '../multi-node/ledger.js';

/**
 * Sends one deposit to each account through every node and checks that each ran on the account's
 * owner only (by the nodes' `executed` counters), wherever it was sent. Amounts start at `amount`,
 * one per node, so the deposits stay recognisable in the store. Returns how many accounts each node
 * owns, and the deposits.
 */
export async function expectRunsOnOwners(
  nodes: SampleNode[],
  accounts: string[],
  amount: number,
): Promise<{ owned: number[]; deposits: DepositOutcome[] }> {
  const names = nodes.map((node) => node.name).sort();
  const executed = () => Promise.all(nodes.map(async (node) => (await bank.health(node)).aggregates.executed));
  const before = await executed();
  const deposits: DepositOutcome[] = [];
  for (const [i, node] of nodes.entries())
    for (const accountId of accounts) deposits.push({ accountId, amount: amount + i, response: await bank.deposit(node, accountId, amount + i) });
  expect(deposits.filter((d) => d.response.status !== 200).map((d) => d.response)).toEqual([]);
  const after = await executed();
  const owned = nodes.map((node) => accounts.filter((id) => ownerOf(`account-${id}`, names) === node.name).length);
  expect(after.map((n, i) => n - before[i])).toEqual(owned.map((count) => count * nodes.length));
  return { owned, deposits };
}
