import { jest } from '@jest/globals';
import { runWorkloadWithFaults } from '../harness/faulted-workload.js';
import { eventually } from '../harness/eventually.js';
import type { FaultBank } from '../harness/fault-bank.js';
import type { SampleNode } from '../harness/sample-node.js';
import { checkLedger, settledOn } from '../harness/spread-ledger.js';
import { ACCOUNTS, openBank, report } from './bank-setup.js';
import { expectAcknowledgedStored } from './ledger-checks.js';

jest.setTimeout(600_000);

const PARTITIONS = 8;
const KILLS = 2;
/** Acknowledged commands between one node's return and the next kill. */
const ACKNOWLEDGED_BETWEEN_KILLS = 300;

describe('faults: kill -9 of a node holding partitions of a spread projector', () => {
  let faults: FaultBank;

  beforeAll(async () => {
    faults = await openBank(3, { LEDGER_PARTITIONS: String(PARTITIONS) });
  });
  afterAll(() => faults?.close());

  const settled = (nodes: SampleNode[]) => settledOn(nodes, PARTITIONS, 120_000);

  it('loses and repeats no ledger line: the partitions of the killed node resume from checkpoints written with their lines', async () => {
    const { cluster } = faults;
    await settled(cluster.nodes);
    const takeovers: number[] = [];
    const kill = (round: number) => async () => {
      const holders = await settled(cluster.nodes);
      const victim = cluster.nodes.find((node) => node.name === holders[round % PARTITIONS])!;
      const held = holders.filter((name) => name === victim.name).length;
      await victim.kill();
      const killedAt = Date.now();
      await settled(cluster.nodes.filter((node) => node !== victim));
      takeovers.push(Date.now() - killedAt);
      report('spread partitions taken over', { victim: victim.name, held, ms: takeovers.at(-1) });
      await victim.start();
    };
    const { sent, stepsRun } = await runWorkloadWithFaults(
      { cluster, accounts: ACCOUNTS, clientsPerNode: 4, commands: 20_000, prefix: 'spread-kill', seed: 5 },
      Array.from({ length: KILLS }, (_, round) => kill(round)),
      ACKNOWLEDGED_BETWEEN_KILLS,
    );
    expect(stepsRun).toBe(KILLS);
    const figures = await expectAcknowledgedStored(faults.schema.name, sent);
    await settled(cluster.nodes);
    const ledger = await eventually(
      async () => {
        const check = await checkLedger(faults.schema.name);
        expect(check.missing).toEqual([]);
        return check;
      },
      { timeout: 120_000, interval: 250 },
    );
    expect(ledger.repeated).toEqual([]);
    report('spread kill -9', { ...figures, kills: stepsRun, takeoversMs: takeovers, ledgerLines: ledger.events, byNode: ledger.byNode });
  });
});
