import { expect } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import type { HttpResponse } from '../harness/http-client.js';
import type { IndependentNodes } from './independent-nodes.js';

/** One deposit sent over HTTP and what the node answered. Amounts are unique per account, so the store shows which deposits ran. */
export interface DepositOutcome {
  accountId: string;
  amount: number;
  response: HttpResponse<{ version?: number; code?: string }>;
}

/**
 * An answer that leaves the outcome open: a 504 COMMAND_TIMEOUT (the command did not finish within
 * its timeout on a busy machine) or, in a cluster, a 503 NODE_UNAVAILABLE (the owner did not answer
 * the forward in time). Either may still have taken effect; the store says whether it did.
 */
export const undecided = (o: DepositOutcome): boolean =>
  (o.response.status === 504 && o.response.body?.code === 'COMMAND_TIMEOUT') ||
  (o.response.status === 503 && o.response.body?.code === 'NODE_UNAVAILABLE');

/** The write committed: acknowledged, or only its projection was late (CONSISTENCY_TIMEOUT on a strong dispatch). */
const committed = (o: DepositOutcome): boolean => o.response.status === 200 || o.response.body?.code === 'CONSISTENCY_TIMEOUT';

/** Every answer is a success or a command timeout (or one of the refusals `allowed` by error code). */
export function expectSucceededOrTimedOut(outcomes: DepositOutcome[], allowed: string[] = []): void {
  const others = outcomes.filter((o) => !committed(o) && !undecided(o) && !allowed.includes(o.response.body?.code ?? ''));
  expect(others.map((o) => ({ accountId: o.accountId, amount: o.amount, ...o.response }))).toEqual([]);
}

/**
 * The deposits that went through. Anything else must be the typed, bounded-retry refusal (a
 * command that kept conflicting with other nodes fails with WRONG_EXPECTED_VERSION and writes
 * nothing) or a command timeout.
 */
export function accepted(outcomes: DepositOutcome[]): DepositOutcome[] {
  expectSucceededOrTimedOut(outcomes, ['WRONG_EXPECTED_VERSION']);
  return outcomes.filter((o) => o.response.status === 200);
}

/**
 * Checks one account against every deposit sent to it: the stream holds the opening event and then
 * deposits only, at versions 1..n with none missing or repeated; each committed deposit is stored
 * once (an acknowledged one at the version it was answered with), each refused one not at all, each
 * timed-out one at most once, and nothing else; every node's projection shows the balance of the
 * stored deposits.
 */
export async function expectLedger(
  nodes: Pick<IndependentNodes, 'cluster' | 'accountEvents'>,
  accountId: string,
  opening: number,
  outcomes: DepositOutcome[],
): Promise<void> {
  const mine = outcomes.filter((o) => o.accountId === accountId);
  expect(new Set(mine.map((o) => o.amount)).size).toBe(mine.length);
  const events = await nodes.accountEvents(accountId);
  expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
  expect(events.map((e) => e.eventType)).toEqual(['AccountOpened', ...events.slice(1).map(() => 'MoneyDeposited')]);
  const stored = new Map<number, number[]>();
  const amountOf = (e: (typeof events)[number]) => (e.data as { amount: number }).amount;
  for (const e of events.slice(1)) stored.set(amountOf(e), [...(stored.get(amountOf(e)) ?? []), e.streamVersion]);
  const wrong = mine.flatMap((o) => {
    const versions = stored.get(o.amount) ?? [];
    const outcome = `deposit of ${o.amount} answered ${o.response.status} ${o.response.body?.code ?? ''}`;
    if (o.response.status === 200 && JSON.stringify(versions) !== JSON.stringify([o.response.body.version]))
      return [`${outcome} at v${o.response.body.version}, stored at [${versions.join(', ')}]`];
    if (committed(o) && versions.length !== 1) return [`${outcome}, stored ${versions.length} times`];
    if (undecided(o) && versions.length > 1) return [`${outcome}, stored ${versions.length} times`];
    if (!committed(o) && !undecided(o) && versions.length) return [`${outcome} (refused), stored at [${versions.join(', ')}]`];
    return [];
  });
  const sent = new Set(mine.map((o) => o.amount));
  const unsent = [...stored.keys()].filter((amount) => !sent.has(amount)).map((amount) => `deposit of ${amount} stored, never sent`);
  expect([...wrong, ...unsent]).toEqual([]);
  const balance = opening + events.slice(1).reduce((sum, e) => sum + amountOf(e), 0);
  const version = events.length;
  for (const node of nodes.cluster.nodes) {
    await eventually(async () => expect((await bank.account(node, accountId)).body).toEqual({ accountId, balance, version }), { timeout: 60_000 });
  }
}
