import { jest } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import { awaitMembers, type ClusterNodes, startClusterNodes } from './cluster-nodes.js';
import { accountsOwnedBy, depositLoad, expectAcknowledgedStored } from './deposit-load.js';
import { CLUSTER_DEFAULTS } from '../../lib/cluster/cluster.settings.js';

jest.setTimeout(240_000);

/** The sample runs with the default node timeout. */
const NODE_TIMEOUT_MS = CLUSTER_DEFAULTS.nodeTimeout;

let nodes: ClusterNodes;
beforeAll(async () => {
  nodes = await startClusterNodes(3);
});
afterAll(() => nodes?.close());

describe('cluster: an owner killed under load', () => {
  it('keeps every acknowledged command, moves its aggregates within the node timeout, and leaves no transfer half-done', async () => {
    const { cluster } = nodes;
    await awaitMembers(cluster.nodes, cluster.nodes);
    const names = cluster.nodes.map((n) => n.name);
    const victim = cluster.node(0);
    const survivors = cluster.nodes.slice(1);
    const accounts = [...accountsOwnedBy(victim.name, names, 'kill', 3), ...accountsOwnedBy(survivors[0].name, names, 'kill', 1)];
    const transferAccounts = [...accountsOwnedBy(victim.name, names, 'tx', 2), ...accountsOwnedBy(survivors[1].name, names, 'tx', 2)];
    for (const id of [...accounts, ...transferAccounts]) expect((await bank.openAccount(survivors[0], id, 1000)).status).toBe(201);

    let stop = false;
    let killedAt = 0;
    const load = depositLoad(
      () => survivors,
      accounts,
      () => stop,
    );
    const transfers: string[] = [];
    const transferLoad = (async () => {
      for (let i = 0; !stop && i < 500; i++) {
        const transferId = `t-${i}`;
        const [from, to] = [transferAccounts[i % 4], transferAccounts[(i + 1) % 4]];
        const response = await survivors[i % 2].http.post('/transfers', { transferId, from, to, amount: 7 });
        if (response.status === 202) transfers.push(transferId);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    killedAt = Date.now();
    await victim.kill();
    await new Promise((r) => setTimeout(r, NODE_TIMEOUT_MS + 3000));
    stop = true;
    const deposits = await load;
    await transferLoad;

    for (const id of accounts) expectAcknowledgedStored(deposits, await nodes.accountEvents(id), id);
    // Each of the victim's accounts: the first deposit sent after the kill that succeeded, counted from the kill.
    const recovery = accounts.slice(0, 3).map((id) => {
      const first = deposits.filter((d) => d.accountId === id && d.sentAt >= killedAt && d.status === 200).sort((a, b) => a.doneAt - b.doneAt)[0];
      return first ? first.doneAt - killedAt : Infinity;
    });
    const failed = deposits.filter((d) => d.status !== 200);
    console.log(
      `${deposits.length} deposits, ${failed.length} failed (${[...new Set(failed.map((d) => d.body.code))].join(', ')}); ` +
        `victim's accounts served again ${recovery.map((ms) => `${ms} ms`).join(', ')} after the kill; ${transfers.length} transfers`,
    );
    for (const ms of recovery) expect(ms).toBeLessThanOrEqual(NODE_TIMEOUT_MS + 1000);

    // Every transfer ends completed or failed, and money between the transfer accounts is conserved.
    await eventually(
      async () => {
        for (const id of transfers)
          expect(['completed', 'failed']).toContain((await survivors[0].http.get<{ status: string }>(`/transfers/${id}`)).body.status);
      },
      { timeout: 30_000, interval: 250 },
    );
    let total = 0;
    for (const id of transferAccounts) {
      const events = await nodes.accountEvents(id);
      total += Number(events[events.length - 1].data.balance ?? events[events.length - 1].data.initialBalance);
    }
    expect(total).toBe(1000 * transferAccounts.length);
  });
});
