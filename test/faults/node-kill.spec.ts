import { jest } from '@jest/globals';
import { seeded } from '../harness/bank-workload.js';
import { runWorkloadWithFaults } from '../harness/faulted-workload.js';
import type { FaultBank } from '../harness/fault-bank.js';
import { ACCOUNTS, openBank, report } from './bank-setup.js';
import { awaitFailover, runningOn } from './failover.js';
import { nodesRunning } from '../harness/bank.js';
import { expectAcknowledgedStored, expectProjectionsMatchFold, settledAudit } from './ledger-checks.js';

jest.setTimeout(600_000);

const KILLS = 4;
/** Acknowledged commands between one node's restart and the next kill. */
const ACKNOWLEDGED_BETWEEN_KILLS = 400;

describe('faults: kill -9 of a random node under load', () => {
  let faults: FaultBank;

  beforeAll(async () => {
    faults = await openBank(3);
  });
  afterAll(() => faults?.close());

  it('keeps every acknowledged command, finishes every transfer, and fails subscriptions over to a live node', async () => {
    const { cluster } = faults;
    const failovers: number[] = [];
    const random = seeded(11);
    const kill = (round: number) => async () => {
      // Every other kill takes the node running the process manager, so a failover always happens.
      const [runner] = round % 2 === 0 ? await nodesRunning(cluster, 'transfer-money') : [];
      const victim = runner ?? cluster.node(Math.floor(random() * cluster.nodes.length));
      const held = await runningOn(victim);
      await victim.kill();
      if (held.length) failovers.push(await awaitFailover(cluster, victim, held));
      await victim.start();
    };
    const { sent, stepsRun: kills } = await runWorkloadWithFaults(
      { cluster, accounts: ACCOUNTS, clientsPerNode: 8, commands: 30_000, prefix: 'kill', seed: 7 },
      Array.from({ length: KILLS }, (_, round) => kill(round)),
      ACKNOWLEDGED_BETWEEN_KILLS,
    );
    expect(kills).toBe(KILLS);
    expect(failovers.length).toBeGreaterThan(0);
    const figures = await expectAcknowledgedStored(faults.schema.name, sent);
    const audit = await settledAudit(faults.schema.name, cluster);
    await expectProjectionsMatchFold(cluster, audit);
    report('kill -9', { ...figures, kills, failoversMs: failovers, duplicated: audit.duplicatedCommands.size });
  });
});
