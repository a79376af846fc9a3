import { jest } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { awaitMembers, type ClusterNodes, createClusterNodes } from './cluster-nodes.js';
import { accountsOwnedBy } from './deposit-load.js';
import { expectRunsOnOwners } from './runs-on-owners.js';

jest.setTimeout(300_000);

let nodes: ClusterNodes;
beforeAll(async () => {
  nodes = await createClusterNodes(3, { staticDiscovery: true });
});
afterAll(() => nodes?.close());

describe('cluster: static discovery (CLUSTER_NODES)', () => {
  it('forms a cluster from the list, routes to owners, and drops a killed node after the node timeout', async () => {
    const { cluster } = nodes;
    // Two listed nodes first: they keep pinging the third's address, refused, until it comes up.
    const [early, late] = [cluster.nodes.slice(0, 2), cluster.node(2)];
    await Promise.all(early.map((node) => node.start()));
    await awaitMembers(early, early);
    await new Promise((r) => setTimeout(r, 1000));
    await late.start();
    await awaitMembers(cluster.nodes, cluster.nodes);
    for (const node of cluster.nodes) expect((await bank.health(node)).cluster).toMatchObject({ discovery: 'static', links: 2 });
    const names = cluster.nodes.map((node) => node.name);
    const [victim, ...survivors] = cluster.nodes;
    const accounts = [...accountsOwnedBy(victim.name, names, 'static', 2), ...accountsOwnedBy(survivors[0].name, names, 'static', 2)];
    for (const id of accounts) expect((await bank.openAccount(survivors[1], id, 0)).status).toBe(201);
    const { owned } = await expectRunsOnOwners(cluster.nodes, accounts, 1);

    const killedAt = Date.now();
    await victim.kill();
    // The survivors drop it once it missed the node timeout; how much later depends on the machine's load, so it is only reported.
    await awaitMembers(survivors, survivors, 60_000);
    const left = new RegExp(`Node ${victim.name} \\(\\S+\\) left the cluster`);
    const droppedAfter = Math.max(...(await Promise.all(survivors.map((node) => node.loggedAt(left, killedAt))))) - killedAt;
    // The victim's accounts now run on the survivors.
    const { owned: after } = await expectRunsOnOwners(survivors, accounts, 100);
    console.log(
      `static discovery: owners ${owned.join('/')} of 4 accounts; killed node dropped by both others ${droppedAfter} ms after kill -9; then ${after.join('/')}`,
    );
    expect(after.reduce((a, b) => a + b, 0)).toBe(accounts.length);
  });
});
