import { jest } from '@jest/globals';
import { runWorkload } from '../harness/bank-workload.js';
import type { FaultBank } from '../harness/fault-bank.js';
import { ACCOUNTS, OPENING_BALANCE, openBank, report } from './bank-setup.js';
import { expectAcknowledgedStored, expectConservedByCommands, expectProjectionsMatchFold, outcomeUnknown, settledAudit } from './ledger-checks.js';

// Only stops a hung run: 10,000 commands take minutes on a machine busy with other work.
jest.setTimeout(900_000);

const COMMANDS = Number(process.env.FAULTS_LOAD_COMMANDS ?? 10_000);

describe('faults: load on three nodes', () => {
  let faults: FaultBank;

  beforeAll(async () => {
    faults = await openBank(3);
  });
  afterAll(() => faults?.close());

  it('conserves money, keeps versions contiguous and projections equal to the events under 10,000 mixed commands', async () => {
    const started = Date.now();
    const sent = await runWorkload({ cluster: faults.cluster, accounts: ACCOUNTS, clientsPerNode: 8, commands: COMMANDS, prefix: 'load' });
    expect(sent.length).toBe(COMMANDS);
    const workloadMs = Date.now() - started;
    const figures = await expectAcknowledgedStored(faults.schema.name, sent);
    // No fault was injected: every command got an answer, and the only failure a slow machine may
    // cause is the node's own command timeout, whose effect the store settles.
    expect(sent.filter((s) => s.status >= 500 && !outcomeUnknown(s)).map((s) => `${s.kind} ${s.key}: ${s.status} ${s.code}`)).toEqual([]);
    expect(sent.filter((s) => s.status === 0).map((s) => `${s.kind} ${s.key} sent to ${s.node}: no answer`)).toEqual([]);
    const audit = await settledAudit(faults.schema.name, faults.cluster);
    await expectConservedByCommands(faults.schema.name, audit, ACCOUNTS.length * OPENING_BALANCE, sent);
    const settledMs = Date.now() - started - workloadMs;
    await expectProjectionsMatchFold(faults.cluster, audit);
    const timedOut = sent.filter(outcomeUnknown).length;
    report('load', {
      ...figures,
      timedOut,
      workloadMs,
      settledMs,
      transfersAudited: audit.transfers.size,
      duplicated: audit.duplicatedCommands.size,
    });
  });
});
