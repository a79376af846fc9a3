import { jest } from '@jest/globals';
import { runWorkload } from '../harness/bank-workload.js';
import type { FaultBank } from '../harness/fault-bank.js';
import { ACCOUNTS, OPENING_BALANCE, openBank, report } from './bank-setup.js';
import { expectAcknowledgedStored, expectConservedByAcknowledged, expectProjectionsMatchFold, settledAudit } from './ledger-checks.js';

jest.setTimeout(240_000);

describe('faults: load on three nodes', () => {
  let faults: FaultBank;

  beforeAll(async () => {
    faults = await openBank(3);
  });
  afterAll(() => faults?.close());

  it('conserves money, keeps versions contiguous and projections equal to the events under 10,000 mixed commands', async () => {
    const started = Date.now();
    const sent = await runWorkload({
      cluster: faults.cluster,
      accounts: ACCOUNTS,
      clientsPerNode: 8,
      commands: Number(process.env.FAULTS_LOAD_COMMANDS ?? 10_000),
      maxMs: 150_000,
      prefix: 'load',
    });
    expect(sent.length).toBe(Number(process.env.FAULTS_LOAD_COMMANDS ?? 10_000));
    const workloadMs = Date.now() - started;
    const figures = await expectAcknowledgedStored(faults.schema.name, sent);
    // No fault was injected: every command got an answer, so acknowledged money alone must add up.
    expect(figures.unanswered).toBe(0);
    const audit = await settledAudit(faults.schema.name, faults.cluster);
    expectConservedByAcknowledged(audit, ACCOUNTS.length * OPENING_BALANCE, sent);
    const settledMs = Date.now() - started - workloadMs;
    await expectProjectionsMatchFold(faults.cluster, audit);
    report('load', { ...figures, workloadMs, settledMs, transfersAudited: audit.transfers.size, duplicated: audit.duplicatedCommands.size });
  });
});
