import { jest } from '@jest/globals';
import { nodesRunning } from '../harness/bank.js';
import { runWorkload, type SentCommand } from '../harness/bank-workload.js';
import { runWorkloadWithFaults } from '../harness/faulted-workload.js';
import { eventually } from '../harness/eventually.js';
import type { FaultBank } from '../harness/fault-bank.js';
import { terminateBackends } from '../harness/pg-faults.js';
import { SampleCluster } from '../harness/sample-cluster.js';
import { ACCOUNTS, openBank, report, SUBSCRIPTIONS } from './bank-setup.js';
import { watchCheckpoints } from './checkpoint-monitor.js';
import { awaitFailover } from './failover.js';
import { expectAcknowledgedStored, expectProjectionsMatchFold, settledAudit } from './ledger-checks.js';

jest.setTimeout(600_000);

describe('faults: a frozen subscription runner comes back as a zombie', () => {
  let faults: FaultBank;

  beforeAll(async () => {
    faults = await openBank(3);
  });
  afterAll(() => faults?.close());

  it('writes nothing stale after SIGCONT: checkpoints never go back, projections equal the events, no effect twice', async () => {
    const { cluster } = faults;
    const [zombie] = await eventually(async () => {
      const runners = await nodesRunning(cluster, 'account-balances');
      expect(runners).toHaveLength(1);
      return runners;
    });
    const zombieIndex = cluster.nodes.indexOf(zombie);
    const others = new SampleCluster(cluster.nodes.filter((node) => node !== zombie));
    const monitor = await watchCheckpoints(faults.schema.name);
    const sent: SentCommand[] = [];
    const load = (prefix: string, on: SampleCluster, commands: number) =>
      runWorkload({ cluster: on, accounts: ACCOUNTS, clientsPerNode: 4, commands, prefix }).then((s) => void sent.push(...s));

    let cut = 0;
    let takeoverMs = 0;
    const freeze = async () => {
      zombie.pause();
      // Frozen, it still holds its locks; cutting its connections (a partition, a keepalive timeout) lets others take over.
      cut = await terminateBackends(`${faults.appName}_${zombieIndex}`);
      takeoverMs = await awaitFailover(cluster, zombie, SUBSCRIPTIONS);
    };
    // The freeze comes after 300 acknowledged commands, and 300 more are acknowledged while the others take over.
    const before = await runWorkloadWithFaults(
      { cluster: others, accounts: ACCOUNTS, clientsPerNode: 4, commands: 10_000, prefix: 'before' },
      [freeze],
      300,
    );
    sent.push(...before.sent);
    expect(before.stepsRun).toBe(1);
    await load('frozen', others, 1_000);
    zombie.resume();
    await load('after', cluster, 1_500);
    await monitor.stop();

    expect(cut).toBeGreaterThan(0);
    const figures = await expectAcknowledgedStored(faults.schema.name, sent);
    const audit = await settledAudit(faults.schema.name, cluster);
    await expectProjectionsMatchFold(cluster, audit);
    for (const name of SUBSCRIPTIONS) await eventually(async () => expect(await nodesRunning(cluster, name)).toHaveLength(1), { timeout: 60_000 });
    expect(monitor.samples).toBeGreaterThan(10);
    expect(monitor.regressions).toEqual([]);
    report('zombie', { ...figures, connectionsCut: cut, takeoverMs, checkpointSamples: monitor.samples, duplicated: audit.duplicatedCommands.size });
  });
});
