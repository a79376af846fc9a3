import { jest } from '@jest/globals';
import type { RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { bank, nodesRunning } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import type { SampleNode } from '../harness/sample-node.js';
import { awaitMembers, type ClusterNodes, conflicts, createClusterNodes } from './cluster-nodes.js';
import { acknowledgedMore, type Deposit, depositLoad, expectAcknowledgedStored } from './deposit-load.js';
import { sendToFirstUp } from './first-up.js';
import { expectRunsOnOwners } from './runs-on-owners.js';

jest.setTimeout(600_000);

const ACCOUNTS = Array.from({ length: 6 }, (_, i) => `storm-${i}`);
const OPENING = 1000;

let nodes: ClusterNodes;
beforeAll(async () => {
  nodes = await createClusterNodes(3);
});
afterAll(() => nodes?.close());

/** Opens the account through whichever node is up; a repeat after a lost answer finds it open. */
async function open(all: SampleNode[], accountId: string, index: number): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { response } = await sendToFirstUp(all, index + attempt, (node) => bank.openAccount(node, accountId, OPENING));
    if (response.status === 201 || (response.status === 409 && response.body.code === 'ACCOUNT_ALREADY_OPEN')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Could not open ${accountId} during the start-up storm`);
}

/** The balance the stored events add up to. */
const storedBalance = (events: RecordedEvent[]) =>
  events.reduce((sum, e) => sum + Number(e.eventType === 'AccountOpened' ? e.data.initialBalance : e.data.amount), 0);

describe('cluster: three nodes started at the same moment under load', () => {
  it('converges to one owner per aggregate and one runner per handler, without a crash, a restart or a duplicate', async () => {
    const { cluster } = nodes;
    const all = cluster.nodes;
    let stop = false;
    const record: Deposit[] = [];
    // The load starts before any node listens: every request is refused until some node is up.
    const load = (async () => {
      await Promise.all(ACCOUNTS.map((id, i) => open(all, id, i)));
      return depositLoad(
        () => all,
        ACCOUNTS,
        () => stop,
        { record, send: (via, accountId, amount) => sendToFirstUp(all, all.indexOf(via), (node) => bank.deposit(node, accountId, amount)) },
      );
    })();
    await new Promise((r) => setTimeout(r, 300));
    const startedAt = Date.now();
    await cluster.start();
    const allListening = Date.now();
    const pids = all.map((node) => node.pid);
    await awaitMembers(all, all, 60_000);
    const converged = Date.now();
    const subscriptions = (await bank.health(all[0])).subscriptions.map((s) => s.name);
    for (const name of subscriptions) await eventually(async () => expect(await nodesRunning(cluster, name)).toHaveLength(1), { timeout: 60_000 });
    // The load goes on a while on the converged cluster.
    await acknowledgedMore(record, 20, (d) => d.sentAt >= converged);
    stop = true;
    const deposits = await load;

    // No process crashed or restarted: same pid, still running, listened once.
    expect(all.map((node) => node.pid)).toEqual(pids);
    expect(all.map((node) => node.running)).toEqual([true, true, true]);
    for (const node of all) expect(node.logs().match(/listening on \d+/g)).toHaveLength(1);
    for (const node of all)
      expect(
        node
          .logs()
          .split('\n')
          .filter((line) => /\bERROR\b/.test(line)),
      ).toEqual([]);

    // Every acknowledged deposit is stored once, versions are contiguous, projections exact on every node.
    const failed = deposits.filter((d) => d.status !== 200);
    const stormConflicts = await conflicts(all);
    for (const id of ACCOUNTS) {
      const events = await nodes.accountEvents(id);
      expectAcknowledgedStored(deposits, events, id);
      const expected = { accountId: id, balance: storedBalance(events), version: events.length };
      for (const node of all) await eventually(async () => expect((await bank.account(node, id)).body).toEqual(expected));
    }

    // Once converged each account runs on its owner only: a deposit through every node lands there.
    const { owned } = await expectRunsOnOwners(all, ACCOUNTS, 1_000_000);
    expect((await conflicts(all)) - stormConflicts).toBe(0);

    const duringStorm = deposits.filter((d) => d.status === 200 && d.doneAt < converged);
    const answeredBy = all.map((node) => `${node.name} ${duringStorm.filter((d) => d.via === node.name).length}`).join(', ');
    console.log(
      `start-up storm: all listening ${allListening - startedAt} ms and members converged ${converged - startedAt} ms after the simultaneous start; ` +
        `${duringStorm.length} deposits acknowledged before convergence (answered by ${answeredBy}); ${deposits.length} deposits in all, ` +
        `${failed.length} failed (${[...new Set(failed.map((d) => d.body.code))].join(', ')}); ${stormConflicts} version conflicts during the storm; ` +
        `subscriptions ${subscriptions.join(', ')} on one node each; ownership after: ${owned.join('/')} accounts`,
    );
  });
});
