import { expect } from '@jest/globals';
import { bank } from '../harness/bank.js';
import type { SentCommand } from '../harness/bank-workload.js';
import { eventually } from '../harness/eventually.js';
import { readEventRows } from '../harness/event-rows.js';
import { auditLedger, type LedgerAudit } from '../harness/ledger-audit.js';
import type { SampleCluster } from '../harness/sample-cluster.js';

/** Figures of one run, printed for the report and used in assertions. */
export interface RunFigures {
  sent: number;
  acknowledged: number;
  refused: number;
  unanswered: number;
  lost: number;
  duplicated: number;
  transfers: number;
}

/**
 * Waits until every transfer has finished (a process manager may still be moving money), then
 * audits the store. Fails with the audit's problems: a duplicated effect names the transfer.
 */
export async function settledAudit(schema: string, cluster: SampleCluster, stallMs = 60_000): Promise<LedgerAudit> {
  const audit = await withNodeState(cluster, async () => {
    // One process manager works through the backlog: wait while it progresses, fail once it stalls.
    let best = Infinity;
    let progressAt = Date.now();
    for (;;) {
      const current = auditLedger(await readEventRows(schema));
      const pending = [...current.transfers].filter(([, status]) => status === 'pending').map(([id]) => id);
      if (!pending.length) return current;
      if (pending.length < best) [best, progressAt] = [pending.length, Date.now()];
      if (Date.now() - progressAt > stallMs) {
        throw new Error(
          `transfers left half-done (no progress for ${stallMs} ms): ${pending.slice(0, 10).join(', ')}${pending.length > 10 ? ` and ${pending.length - 10} more` : ''}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  });
  expect(audit.problems).toEqual([]);
  return audit;
}

/** Runs `work`; when it fails, adds each live node's subscriptions and last output to the error. */
async function withNodeState<T>(cluster: SampleCluster, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const health = await Promise.all(
      cluster.running().map(async (node) => `${node.name}: ${JSON.stringify((await bank.health(node).catch(() => undefined))?.subscriptions)}`),
    );
    (error as Error).message += `\n${health.join('\n')}\n${cluster.tails(15)}`;
    throw error;
  }
}

/**
 * Every command answered 2xx has its events in the store (matched by its key, kept as the
 * events' commandId); every command refused with a 4xx wrote nothing.
 */
export async function expectAcknowledgedStored(schema: string, sent: SentCommand[]): Promise<RunFigures> {
  const rows = await readEventRows(schema);
  const stored = new Set(rows.map((row) => row.metadata.commandId));
  const ok = sent.filter((s) => s.status >= 200 && s.status < 300);
  const refused = sent.filter((s) => s.status >= 400 && s.status < 500);
  const lost = ok.filter((s) => !stored.has(s.key));
  expect(lost.map((s) => `${s.kind} ${s.key} acknowledged by ${s.node} but not stored`)).toEqual([]);
  expect(refused.filter((s) => stored.has(s.key)).map((s) => `${s.kind} ${s.key} refused with ${s.status} ${s.code} but written`)).toEqual([]);
  const unexpected = refused.filter((s) => !['INSUFFICIENT_FUNDS', 'ACCOUNT_ALREADY_OPEN', 'WRONG_EXPECTED_VERSION'].includes(s.code ?? ''));
  expect(unexpected.map((s) => `${s.kind} ${s.key}: ${s.status} ${s.code}`)).toEqual([]);
  return {
    sent: sent.length,
    acknowledged: ok.length,
    refused: refused.length,
    unanswered: sent.filter((s) => s.status === 0 || s.status >= 500).length,
    lost: lost.length,
    duplicated: 0,
    transfers: sent.filter((s) => s.kind === 'transfer' && s.status === 202).length,
  };
}

/** A 504 COMMAND_TIMEOUT or no answer at all: the command may or may not have taken effect. */
export const outcomeUnknown = (s: SentCommand) => s.status === 0 || (s.status === 504 && s.code === 'COMMAND_TIMEOUT');

/**
 * The money in the store is the opening money plus the deposits minus the withdrawals that took
 * effect: every acknowledged one, and each whose outcome was unknown to its client (see
 * {@link outcomeUnknown}) exactly when its key is stored.
 */
export async function expectConservedByCommands(schema: string, audit: LedgerAudit, opening: number, sent: SentCommand[]): Promise<void> {
  const stored = new Set((await readEventRows(schema)).map((row) => row.metadata.commandId));
  const tookEffect = (s: SentCommand) => s.status === 200 || (outcomeUnknown(s) && stored.has(s.key));
  const total = (kind: string) => sent.filter((s) => s.kind === kind && tookEffect(s)).reduce((sum, s) => sum + s.amount, 0);
  const balances = [...audit.accounts.values()].reduce((sum, a) => sum + a.balance, 0);
  expect(balances).toBe(opening + total('deposit') - total('withdraw'));
}

/** Every live node's `GET /accounts/:id` equals the fold of the account's events. */
export async function expectProjectionsMatchFold(cluster: SampleCluster, audit: LedgerAudit): Promise<void> {
  for (const node of cluster.running()) {
    await eventually(
      async () => {
        const mismatched: string[] = [];
        for (const fold of audit.accounts.values()) {
          const view = (await bank.account(node, fold.accountId)).body;
          if (view.balance !== fold.balance || view.version !== fold.version)
            mismatched.push(`${fold.accountId}: projection ${JSON.stringify(view)} vs fold ${JSON.stringify(fold)}`);
        }
        expect(mismatched).toEqual([]);
      },
      { timeout: 60_000, interval: 500 },
    );
  }
}
