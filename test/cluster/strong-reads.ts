import { expect } from '@jest/globals';
import { bank, nodesRunning } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import type { SampleCluster } from '../harness/sample-cluster.js';

/**
 * Finds the node running the balances projector, then makes `rounds` strong deposits through
 * another node and reads each at once through the third: the projection must already hold it.
 * Returns the writer's pubsub status, for the caller to check the transport.
 */
export async function expectStrongReads(cluster: SampleCluster, accountId: string, rounds = 20) {
  const [projector] = await eventually(async () => {
    const running = await nodesRunning(cluster, 'account-balances');
    expect(running).toHaveLength(1);
    return running;
  });
  const [writer, reader] = cluster.nodes.filter((node) => node !== projector);
  expect((await bank.openAccount(writer, accountId, 0, true)).status).toBe(201);
  for (let i = 1; i <= rounds; i++) {
    expect((await bank.deposit(writer, accountId, 10, true)).status).toBe(200);
    expect((await bank.account(reader, accountId)).body).toEqual({ accountId, balance: 10 * i, version: i + 1 });
  }
  return (await bank.health(writer)).pubsub;
}
