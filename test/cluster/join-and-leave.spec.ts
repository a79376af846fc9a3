import { jest } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { awaitMembers, type ClusterNodes, startClusterNodes } from './cluster-nodes.js';
import { accountsOwnedBy, depositLoad, expectAcknowledgedStored } from './deposit-load.js';
import { CLUSTER_DEFAULTS } from '../../lib/cluster/cluster.settings.js';

jest.setTimeout(240_000);

/** The sample runs with the default node timeout. */
const NODE_TIMEOUT_MS = CLUSTER_DEFAULTS.nodeTimeout;

let nodes: ClusterNodes;
beforeAll(async () => {
  nodes = await startClusterNodes(2);
});
afterAll(() => nodes?.close());

describe('cluster: a node joining, then stopping', () => {
  it('takes over its share under load without losing a command, and hands it back at once on SIGTERM', async () => {
    const { cluster } = nodes;
    await awaitMembers(cluster.nodes, cluster.nodes);
    const names = [...cluster.nodes.map((n) => n.name), 'node-new'];
    // Accounts the newcomer will own once it has joined, and one that stays put.
    const accounts = [...accountsOwnedBy('node-new', names, 'join', 3), ...accountsOwnedBy(cluster.node(0).name, names, 'join', 1)];
    for (const id of accounts) expect((await bank.openAccount(cluster.node(1), id, 0)).status).toBe(201);

    let stop = false;
    const load = depositLoad(
      () => cluster.nodes,
      accounts,
      () => stop,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const joining = await nodes.addNode('node-new');
    const all = [...cluster.nodes, joining];
    await awaitMembers(all, all);
    await new Promise((r) => setTimeout(r, 1500));
    const executedByNewcomer = (await bank.health(joining)).aggregates.executed;

    const stoppedAt = Date.now();
    const leaving = joining.stop();
    await awaitMembers(cluster.nodes, cluster.nodes, NODE_TIMEOUT_MS);
    const seenGoneAfter = Date.now() - stoppedAt;
    await leaving;
    await new Promise((r) => setTimeout(r, 1000));
    stop = true;
    const deposits = await load;

    const failed = deposits.filter((d) => d.status !== 200);
    console.log(
      `${deposits.length} deposits, ${failed.length} failed; the newcomer ran ${executedByNewcomer} commands; ` +
        `its departure was seen by both others ${seenGoneAfter} ms after SIGTERM`,
    );
    expect(failed.map((d) => ({ ...d }))).toEqual([]);
    expect(executedByNewcomer).toBeGreaterThan(0);
    expect(seenGoneAfter).toBeLessThan(NODE_TIMEOUT_MS);
    expect(joining.logs()).toMatch(/left the cluster/);
    for (const id of accounts) expectAcknowledgedStored(deposits, await nodes.accountEvents(id), id);
  });
});
