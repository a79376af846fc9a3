import { jest } from '@jest/globals';
import { bank, nodesRunning } from '../harness/bank.js';
import { readEventRows } from '../harness/event-rows.js';
import { eventually } from '../harness/eventually.js';
import type { SampleNode } from '../harness/sample-node.js';
import { describeTakeovers, LeaseWatch } from '../harness/lease-watch.js';
import { hammerDeposits, REFUSALS, refusals, type ShutdownCall } from '../harness/shutdown-load.js';
import { startIndependentNodes, type IndependentNodes } from './independent-nodes.js';

jest.setTimeout(600_000);

const PROJECTOR = 'account-balances';
const ACCOUNTS = ['stop-0', 'stop-1', 'stop-2'];
/** Far beyond the test's length, even on a busy machine: a standby that takes over can only have been told the lease was free. */
const LOCK_RETRY_INTERVAL = 900_000;
/** Acknowledged deposits before SIGTERM, and through the standby after the holder exits. */
const ACKNOWLEDGED = 60;
/**
 * Both nodes write the same accounts, and independent nodes have no single writer: a deposit that
 * loses every race with the other node's writes ends with this bounded-retry refusal, nothing written.
 */
const CONFLICT = 'WRONG_EXPECTED_VERSION';

let nodes: IndependentNodes;
let startedAt: number;
beforeAll(async () => {
  startedAt = Date.now();
  nodes = await startIndependentNodes(2, { LOCK_RETRY_INTERVAL: String(LOCK_RETRY_INTERVAL) });
});
afterAll(() => nodes?.close());

describe('independent nodes: SIGTERM to the node holding a subscription', () => {
  it('hands the subscription to the standby at once, and keeps every acknowledged command', async () => {
    const { cluster } = nodes;
    const [holder] = await eventually(async () => {
      const running = await nodesRunning(cluster, PROJECTOR);
      expect(running).toHaveLength(1);
      return running;
    });
    const standby = cluster.nodes.find((node) => node !== holder)!;
    for (const id of ACCOUNTS) expect((await bank.openAccount(standby, id, 0)).status).toBe(201);

    let stop = false;
    const calls: ShutdownCall[] = [];
    const load = ACCOUNTS.flatMap((id, i) =>
      [holder, standby].map((node: SampleNode) => hammerDeposits(node, id, `${node.name}-${i}`, calls, () => stop)),
    );
    const acknowledged = (via?: SampleNode) => calls.filter((c) => c.status === 200 && (!via || c.via === via.name)).length;
    const acknowledgedMore = (count: number, via?: SampleNode) => {
      const target = acknowledged(via) + count;
      return eventually(() => expect(acknowledged(via)).toBeGreaterThanOrEqual(target), { timeout: 120_000, interval: 20 });
    };
    await acknowledgedMore(ACKNOWLEDGED);

    const watch = await LeaseWatch.start(nodes.schema.name, holder.name, standby.name);
    const sigtermAt = Date.now();
    // The bound only stops a node that never exits.
    const exit = await holder.stop(60_000);
    const takeovers = await watch.done();
    await acknowledgedMore(ACKNOWLEDGED, standby);
    stop = true;
    await Promise.all(load);

    console.log(
      `[shutdown] independent: after SIGTERM to ${holder.name}, standby ${standby.name}: ${describeTakeovers(takeovers, sigtermAt)} ` +
        `(lockRetryInterval ${LOCK_RETRY_INTERVAL} ms); ` +
        `${calls.filter((c) => c.status === 200).length} deposits acknowledged, refusals: ${JSON.stringify(refusals(calls))}`,
    );
    expect(exit).toEqual({ code: 0, signal: null });
    // The standby's only scheduled try after its start falls LOCK_RETRY_INTERVAL later: sooner means the release was announced.
    expect(takeovers.map((t) => t.name)).toContain(PROJECTOR);
    for (const { heldAt, deliveredAt } of takeovers) expect(Math.max(heldAt, deliveredAt ?? 0)).toBeLessThan(startedAt + LOCK_RETRY_INTERVAL);

    // Every deposit acknowledged with 200 is stored once; a refused one was clearly refused and did not run.
    const rows = await readEventRows(nodes.schema.name);
    const stored = rows.filter((e) => e.eventType === 'MoneyDeposited').map((e) => e.metadata.commandId as string);
    expect(new Set(stored).size).toBe(stored.length);
    const storedKeys = new Set(stored);
    // One that timed out on a busy machine may have run or not: only the store tells.
    const refused = calls.filter((c) => c.status !== 200 && c.error !== 'COMMAND_TIMEOUT');
    expect(calls.filter((c) => c.status === 200 && !storedKeys.has(c.key))).toEqual([]);
    expect(refused.filter((c) => ![...REFUSALS, CONFLICT].includes(c.error ?? ''))).toEqual([]);
    expect(refused.filter((c) => storedKeys.has(c.key))).toEqual([]);

    // The projection, now run by the standby, shows every stored deposit.
    for (const id of ACCOUNTS) {
      const events = (await nodes.accountEvents(id)).length;
      const deposits = rows.filter((e) => e.streamId === `account-${id}` && e.eventType === 'MoneyDeposited').length;
      await eventually(async () => expect((await bank.account(standby, id)).body).toEqual({ accountId: id, balance: deposits, version: events }));
    }
  });
});
