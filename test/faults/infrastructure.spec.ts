import { jest } from '@jest/globals';
import { nodesRunning } from '../harness/bank.js';
import type { SentCommand } from '../harness/bank-workload.js';
import { runWorkloadWithFaults } from '../harness/faulted-workload.js';
import { eventually } from '../harness/eventually.js';
import type { FaultBank } from '../harness/fault-bank.js';
import { terminateBackends } from '../harness/pg-faults.js';
import { ACCOUNTS, openBank, report, SUBSCRIPTIONS } from './bank-setup.js';
import { faultsMode } from './faults-mode.js';
import { expectAcknowledgedStored, expectProjectionsMatchFold, settledAudit } from './ledger-checks.js';

jest.setTimeout(600_000);

/** Acknowledged commands before the first fault, between faults and after the last. */
const ACKNOWLEDGED_BETWEEN_FAULTS = 300;

describe('faults: Redis and PostgreSQL connections lost under load', () => {
  let faults: FaultBank;
  let pids: Array<number | undefined>;

  beforeAll(async () => {
    faults = await openBank(3);
    pids = faults.cluster.nodes.map((node) => node.pid);
  });
  afterAll(() => faults?.close());

  /** Runs a workload with `steps` injected one after another, {@link ACKNOWLEDGED_BETWEEN_FAULTS} acknowledged commands apart. */
  async function underFaults(prefix: string, steps: Array<() => Promise<void>>): Promise<SentCommand[]> {
    const options = { cluster: faults.cluster, accounts: ACCOUNTS, clientsPerNode: 8, commands: 20_000, prefix };
    const { sent, stepsRun } = await runWorkloadWithFaults(options, steps, ACKNOWLEDGED_BETWEEN_FAULTS);
    expect(stepsRun).toBe(steps.length);
    return sent;
  }

  /** Nothing acknowledged lost, every transfer finished, projections equal the events, one runner per subscription, and no node restarted. */
  async function expectConverged(sent: SentCommand[]) {
    const { cluster } = faults;
    const dead = cluster.nodes.filter((node, i) => !node.running || node.pid !== pids[i]);
    if (dead.length)
      throw new Error(
        `nodes died during the faults: ${dead
          .map(
            (n) =>
              `${n.name}\n${n
                .logs()
                .split('\n')
                .filter((l) => /Unhandled|^error:|^Error/.test(l.trim()))
                .slice(0, 4)
                .join('\n')}`,
          )
          .join('\n')}`,
      );
    const figures = await expectAcknowledgedStored(faults.schema.name, sent);
    const audit = await settledAudit(faults.schema.name, cluster);
    await expectProjectionsMatchFold(cluster, audit);
    for (const name of SUBSCRIPTIONS) await eventually(async () => expect(await nodesRunning(cluster, name)).toHaveLength(1), { timeout: 60_000 });
    return { ...figures, duplicated: audit.duplicatedCommands.size };
  }

  // Only modes whose pubsub is Redis have one to kill; the case is not defined in the others.
  if (faultsMode().usesRedis)
    it('loses nothing when Redis is killed and restarted mid-run', async () => {
      const redis = faults.redis!;
      const sent = await underFaults('redis', [() => redis.kill(), () => redis.restart()]);
      report('redis killed and restarted', await expectConverged(sent));
    });

  it('loses nothing when the nodes’ PostgreSQL connections are terminated mid-run', async () => {
    let terminated = 0;
    const cut = async () => void (terminated += await terminateBackends(faults.appName));
    const sent = await underFaults('pg', [cut, cut, cut]);
    expect(terminated).toBeGreaterThan(0);
    report('postgres connections terminated', { ...(await expectConverged(sent)), terminated });
  });
});
