import { expect } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import type { HttpResponse } from '../harness/http-client.js';
import type { IndependentNodes } from './independent-nodes.js';

/** One deposit sent over HTTP and what the node answered. */
export interface DepositOutcome {
  accountId: string;
  amount: number;
  response: HttpResponse<{ version?: number; code?: string }>;
}

/**
 * The deposits that went through. Anything else must be the typed, bounded-retry refusal: a
 * command that kept conflicting with other nodes fails with WRONG_EXPECTED_VERSION and writes nothing.
 */
export function accepted(outcomes: DepositOutcome[]): DepositOutcome[] {
  const refused = outcomes.filter((o) => o.response.status !== 200);
  expect(refused.filter((o) => o.response.status !== 409 || o.response.body.code !== 'WRONG_EXPECTED_VERSION').map((o) => o.response)).toEqual([]);
  return outcomes.filter((o) => o.response.status === 200);
}

/**
 * Checks one account against the deposits accepted for it: the stream holds exactly the opening
 * event and one event per accepted deposit, at versions 1..n with none missing or repeated, every
 * accepted deposit got a distinct version, and every node's projection shows the exact balance.
 */
export async function expectLedger(
  nodes: Pick<IndependentNodes, 'cluster' | 'accountEvents'>,
  accountId: string,
  opening: number,
  deposits: DepositOutcome[],
): Promise<void> {
  const mine = deposits.filter((d) => d.accountId === accountId);
  const version = 1 + mine.length;
  const events = await nodes.accountEvents(accountId);
  expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
  expect(events.filter((e) => e.eventType === 'MoneyDeposited')).toHaveLength(mine.length);
  expect(new Set(mine.map((d) => d.response.body.version)).size).toBe(mine.length);
  const balance = opening + mine.reduce((sum, d) => sum + d.amount, 0);
  for (const node of nodes.cluster.nodes) {
    await eventually(async () => expect((await bank.account(node, accountId)).body).toEqual({ accountId, balance, version }));
  }
}
