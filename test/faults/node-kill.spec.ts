import { jest } from '@jest/globals';
import { runWorkload, seeded } from '../harness/bank-workload.js';
import type { FaultBank } from '../harness/fault-bank.js';
import { ACCOUNTS, openBank, report } from './bank-setup.js';
import { failoverMs, runningOn } from './failover.js';
import { nodesRunning } from '../harness/bank.js';
import { expectAcknowledgedStored, expectProjectionsMatchFold, settledAudit } from './ledger-checks.js';

jest.setTimeout(240_000);

const FAILOVER_LIMIT_MS = 5_000;

describe('faults: kill -9 of a random node under load', () => {
  let faults: FaultBank;

  beforeAll(async () => {
    faults = await openBank(3);
  });
  afterAll(() => faults?.close());

  it('keeps every acknowledged command, finishes every transfer, and fails subscriptions over within 5 s', async () => {
    const { cluster } = faults;
    const failovers: number[] = [];
    let kills = 0;
    let done = false;
    const random = seeded(11);
    const killer = (async () => {
      for (let round = 0; !done && round < 6; round++) {
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        if (done) break;
        // Every other round kills the node running the process manager, so failover is always measured.
        const [runner] = round % 2 === 0 ? await nodesRunning(cluster, 'transfer-money') : [];
        const victim = runner ?? cluster.node(Math.floor(random() * cluster.nodes.length));
        const held = await runningOn(victim);
        await victim.kill();
        kills++;
        if (held.length) failovers.push(await failoverMs(cluster, victim, held, FAILOVER_LIMIT_MS));
        await victim.start();
      }
    })();
    const sent = await runWorkload({ cluster, accounts: ACCOUNTS, clientsPerNode: 8, commands: 20_000, maxMs: 25_000, prefix: 'kill', seed: 7 });
    done = true;
    await killer;
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(failovers.length).toBeGreaterThan(0);
    expect(failovers.filter((ms) => ms > FAILOVER_LIMIT_MS)).toEqual([]);
    const figures = await expectAcknowledgedStored(faults.schema.name, sent);
    const audit = await settledAudit(faults.schema.name, cluster);
    await expectProjectionsMatchFold(cluster, audit);
    report('kill -9', { ...figures, kills, failoversMs: failovers, duplicated: audit.duplicatedCommands.size });
  });
});
