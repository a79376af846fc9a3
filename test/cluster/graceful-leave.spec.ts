import { jest } from '@jest/globals';
import { bank, nodesRunning } from '../harness/bank.js';
import { readEventRows } from '../harness/event-rows.js';
import { eventually } from '../harness/eventually.js';
import { describeTakeovers, LeaseWatch } from '../harness/lease-watch.js';
import { hammerDeposits, REFUSALS, refusals, type ShutdownCall } from '../harness/shutdown-load.js';
import { awaitMembers, type ClusterNodes, startClusterNodes } from './cluster-nodes.js';
import { accountsOwnedBy, acknowledgedMore, type Deposit, depositLoad, expectAcknowledgedStored } from './deposit-load.js';

jest.setTimeout(600_000);

const PROJECTOR = 'account-balances';
/** Long enough that no heartbeat, node timeout or lease retry can move work during the test: only the leave and release announcements can. */
const SLOW = { CLUSTER_HEARTBEAT_INTERVAL: '15000', CLUSTER_NODE_TIMEOUT: '900000', LOCK_RETRY_INTERVAL: '900000' };
/** Acknowledged deposits before SIGTERM, and after the move. */
const PHASE = 20;

let nodes: ClusterNodes;
beforeAll(async () => {
  nodes = await startClusterNodes(2, { env: SLOW });
});
afterAll(() => nodes?.close());

describe('cluster: SIGTERM to an owner', () => {
  it('moves its aggregates and subscriptions to the other node at once, without losing an acknowledged command', async () => {
    const { cluster } = nodes;
    // A node learns of a newcomer at its next heartbeat: up to one interval.
    await awaitMembers(cluster.nodes, cluster.nodes, 40_000);
    const [leaver] = await eventually(async () => {
      const running = await nodesRunning(cluster, PROJECTOR);
      expect(running).toHaveLength(1);
      return running;
    });
    const survivor = cluster.nodes.find((node) => node !== leaver)!;
    const names = cluster.nodes.map((node) => node.name);
    // Forwarded deposits go to the first three, direct ones (of 1 each) to the others: amounts stay unique per account.
    const owned = accountsOwnedBy(leaver.name, names, 'leave', 6);
    const [accounts, directAccounts] = [owned.slice(0, 3), owned.slice(3)];
    for (const id of owned) expect((await bank.openAccount(survivor, id, 0)).status).toBe(201);

    // Deposits to the leaver's accounts through the survivor (forwarded to the owner), and straight to the leaver.
    let stop = false;
    const record: Deposit[] = [];
    const forwarded = depositLoad(
      () => [survivor],
      accounts,
      () => stop,
      { record },
    );
    const direct: ShutdownCall[] = [];
    const directLoad = directAccounts.map((id, i) => hammerDeposits(leaver, id, `direct-${i}`, direct, () => stop));
    await acknowledgedMore(record, PHASE);
    await eventually(() => expect(direct.filter((c) => c.status === 200).length).toBeGreaterThanOrEqual(PHASE), { timeout: 120_000, interval: 20 });

    // The survivor logs this as it drops the leaver; the line's arrival here times the move.
    const dropped = survivor.loggedAt(new RegExp(`Node ${leaver.name} announced it is leaving`), 0, 60_000);
    const watch = await LeaseWatch.start(nodes.schema.name, leaver.name, survivor.name);
    const sigtermAt = Date.now();
    // The bound only stops a node that never exits.
    const exit = await leaver.stop(60_000);
    const movedAt = await dropped;
    const takeovers = await watch.done();
    await acknowledgedMore(record, PHASE, (d) => d.sentAt >= movedAt);
    stop = true;
    const deposits = await forwarded;
    await Promise.all(directLoad);

    const afterMove = deposits.filter((d) => d.sentAt >= movedAt);
    const firstServed = Math.min(...afterMove.filter((d) => d.status === 200).map((d) => d.doneAt));
    console.log(
      `[shutdown] cluster: ${survivor.name} dropped ${leaver.name} ${movedAt - sigtermAt} ms after SIGTERM and answered the first deposit ` +
        `sent after that ${firstServed - sigtermAt} ms after SIGTERM; subscriptions: ${describeTakeovers(takeovers, sigtermAt)}; ${deposits.length} forwarded deposits ` +
        `(${deposits.filter((d) => d.status !== 200).length} failed), ${direct.filter((c) => c.status === 200).length} direct ones acknowledged, refusals: ${JSON.stringify(refusals(direct))}`,
    );
    expect(exit).toEqual({ code: 0, signal: null });
    // The survivor dropped the leaver on its announcement (logged above), not after a heartbeat or the node timeout.
    expect(survivor.logs()).toMatch(new RegExp(`Node ${leaver.name} \\(.*\\) left the cluster`));
    expect(afterMove.filter((d) => d.status === 200).length).toBeGreaterThan(0);
    expect(takeovers.map((t) => t.name)).toContain(PROJECTOR);
    // Forwarded commands that met the leaver on its way out were routed again: none failed (a busy machine may time one out), none ran twice.
    expect(deposits.filter((d) => d.status !== 200 && d.body.code !== 'COMMAND_TIMEOUT').map((d) => ({ ...d }))).toEqual([]);
    for (const id of accounts) expectAcknowledgedStored(deposits, await nodes.accountEvents(id), id);

    const rows = await readEventRows(nodes.schema.name);
    const stored = new Set(rows.filter((e) => e.eventType === 'MoneyDeposited').map((e) => e.metadata.commandId as string));
    // A direct one the leaver refused did not run; one that timed out may have, so only the store tells.
    const refused = direct.filter((c) => c.status !== 200 && c.error !== 'COMMAND_TIMEOUT');
    expect(direct.filter((c) => c.status === 200 && !stored.has(c.key))).toEqual([]);
    expect(refused.filter((c) => !REFUSALS.includes(c.error ?? ''))).toEqual([]);
    expect(refused.filter((c) => stored.has(c.key))).toEqual([]);

    // The projection, now run by the survivor, shows every stored deposit.
    for (const id of owned) {
      const events = await nodes.accountEvents(id);
      const balance = Number(events[events.length - 1].data.balance ?? events[events.length - 1].data.initialBalance);
      await eventually(async () => expect((await bank.account(survivor, id)).body).toEqual({ accountId: id, balance, version: events.length }));
    }
    const positions = rows.map((e) => e.globalPosition);
    console.log(`[shutdown] cluster: ${positions[positions.length - 1] - positions.length} gaps in the global order (rolled-back appends)`);
  });
});
