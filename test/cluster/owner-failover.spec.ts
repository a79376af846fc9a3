import { jest } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import { awaitMembers, type ClusterNodes, startClusterNodes } from './cluster-nodes.js';
import { accountsOwnedBy, acknowledgedMore, type Deposit, depositLoad, expectAcknowledgedStored } from './deposit-load.js';

jest.setTimeout(600_000);

/** Acknowledged deposits per account of the victim before the kill. */
const BEFORE_KILL = 5;

let nodes: ClusterNodes;
beforeAll(async () => {
  nodes = await startClusterNodes(3);
});
afterAll(() => nodes?.close());

describe('cluster: an owner killed under load', () => {
  it('keeps every acknowledged command, moves its aggregates to the survivors, and leaves no transfer half-done', async () => {
    const { cluster } = nodes;
    await awaitMembers(cluster.nodes, cluster.nodes);
    const names = cluster.nodes.map((n) => n.name);
    const victim = cluster.node(0);
    const survivors = cluster.nodes.slice(1);
    const accounts = [...accountsOwnedBy(victim.name, names, 'kill', 3), ...accountsOwnedBy(survivors[0].name, names, 'kill', 1)];
    const transferAccounts = [...accountsOwnedBy(victim.name, names, 'tx', 2), ...accountsOwnedBy(survivors[1].name, names, 'tx', 2)];
    for (const id of [...accounts, ...transferAccounts]) expect((await bank.openAccount(survivors[0], id, 1000)).status).toBe(201);

    let stop = false;
    const record: Deposit[] = [];
    const load = depositLoad(
      () => survivors,
      accounts,
      () => stop,
      { record },
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
    const victimAccounts = accounts.slice(0, 3);
    for (const id of victimAccounts) await acknowledgedMore(record, BEFORE_KILL, (d) => d.accountId === id);
    const killedAt = Date.now();
    await victim.kill();
    // The survivors drop the victim after the node timeout, then serve each of its accounts again.
    await awaitMembers(survivors, survivors, 60_000);
    for (const id of victimAccounts) await acknowledgedMore(record, 1, (d) => d.accountId === id && d.sentAt >= killedAt);
    stop = true;
    const deposits = await load;
    await transferLoad;

    for (const id of accounts) expectAcknowledgedStored(deposits, await nodes.accountEvents(id), id);
    // Each of the victim's accounts: the first deposit sent after the kill that succeeded, counted from the kill (reported only: it depends on the machine's load).
    const recovery = victimAccounts.map((id) => {
      const first = deposits.filter((d) => d.accountId === id && d.sentAt >= killedAt && d.status === 200).sort((a, b) => a.doneAt - b.doneAt)[0];
      return first.doneAt - killedAt;
    });
    const failed = deposits.filter((d) => d.status !== 200);
    console.log(
      `${deposits.length} deposits, ${failed.length} failed (${[...new Set(failed.map((d) => d.body.code))].join(', ')}); ` +
        `victim's accounts served again ${recovery.map((ms) => `${ms} ms`).join(', ')} after the kill; ${transfers.length} transfers`,
    );

    // Every transfer ends completed or failed, and money between the transfer accounts is conserved.
    await eventually(
      async () => {
        for (const id of transfers)
          expect(['completed', 'failed']).toContain((await survivors[0].http.get<{ status: string }>(`/transfers/${id}`)).body.status);
      },
      { timeout: 120_000, interval: 250 },
    );
    let total = 0;
    for (const id of transferAccounts) {
      const events = await nodes.accountEvents(id);
      total += Number(events[events.length - 1].data.balance ?? events[events.length - 1].data.initialBalance);
    }
    expect(total).toBe(1000 * transferAccounts.length);
  });
});
