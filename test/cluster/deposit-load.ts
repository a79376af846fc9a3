import { expect } from '@jest/globals';
import { ownerOf } from '../../lib/cluster/rendezvous.js';
import type { RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { bank } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import { connectionError, type HttpResponse } from '../harness/http-client.js';
import type { SampleNode } from '../harness/sample-node.js';

/** One deposit and how it ended. */
export interface Deposit {
  accountId: string;
  amount: number;
  via: string;
  sentAt: number;
  doneAt: number;
  status: number;
  body: { version?: number; code?: string };
}

/** Error codes a deposit may end with while nodes die, freeze or leave: typed and retryable. */
export const TYPED_FAILURES = ['NODE_UNAVAILABLE', 'COMMAND_TIMEOUT'];

/** Account ids (`<prefix>-<i>`) that `owner` owns among `members`, computed as the nodes do. */
export function accountsOwnedBy(owner: string, members: string[], prefix: string, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < count && i < 10_000; i++) if (ownerOf(`account-${prefix}-${i}`, members) === owner) ids.push(`${prefix}-${i}`);
  return ids;
}

/** Sends one deposit through `via` (or another node it chooses) and says which node answered. */
export type DepositSender = (
  via: SampleNode,
  accountId: string,
  amount: number,
) => Promise<{ node: SampleNode; response: HttpResponse<Deposit['body']> }>;

const throughVia: DepositSender = async (via, accountId, amount) => ({ node: via, response: await bank.deposit(via, accountId, amount) });

/** Bounds and transport of a {@link depositLoad}. */
export interface DepositLoadOptions {
  /** Stop after this many ms whatever `until` says: only ends a load whose test failed. @default 600000 */
  maxMs?: number;
  /** How a deposit is sent. @default straight to the chosen node */
  send?: DepositSender;
  /** Where each deposit is recorded as it ends, so the test can follow the load (see {@link acknowledgedMore}). @default a new array */
  record?: Deposit[];
}

/**
 * Sends deposits in a loop from each sender to each account (one at a time per pair), until
 * `until()` says stop. Amounts are unique per account, so each acknowledged deposit can be found
 * in the store. Bounded by `maxMs`.
 */
export async function depositLoad(
  senders: () => SampleNode[],
  accounts: string[],
  until: () => boolean,
  { maxMs = 600_000, send = throughVia, record = [] }: DepositLoadOptions = {},
): Promise<Deposit[]> {
  const deposits = record;
  const next = new Map(accounts.map((id) => [id, 1]));
  const started = Date.now();
  const worker = async (index: number, accountId: string) => {
    while (!until() && Date.now() - started < maxMs) {
      const live = senders();
      const via = live[index % live.length];
      const amount = next.get(accountId)!;
      next.set(accountId, amount + 1);
      const sentAt = Date.now();
      const { node, response } = await send(via, accountId, amount).catch((error: unknown) => ({
        node: via,
        response: { status: 0, body: { code: connectionError(error) } },
      }));
      deposits.push({ accountId, amount, via: node.name, sentAt, doneAt: Date.now(), status: response.status, body: response.body });
    }
  };
  await Promise.all(accounts.flatMap((id) => [0, 1, 2].map((index) => worker(index, id))));
  return deposits;
}

/**
 * Resolves once `count` more of the `deposits` a load is recording, among those `which` selects,
 * have been acknowledged: the load moves the test on, not the clock.
 */
export async function acknowledgedMore(deposits: Deposit[], count: number, which: (d: Deposit) => boolean = () => true): Promise<void> {
  const acknowledged = () => deposits.filter((d) => d.status === 200 && which(d)).length;
  const target = acknowledged() + count;
  await eventually(() => expect(acknowledged()).toBeGreaterThanOrEqual(target), { timeout: 120_000, interval: 20 });
}

/** Every deposit acknowledged is stored at the version it was answered with; failures are typed. */
export function expectAcknowledgedStored(deposits: Deposit[], events: RecordedEvent[], accountId: string): void {
  const mine = deposits.filter((d) => d.accountId === accountId);
  expect(mine.filter((d) => d.status !== 200 && !TYPED_FAILURES.includes(d.body.code ?? '')).map((d) => ({ ...d }))).toEqual([]);
  const byVersion = new Map(events.map((e) => [e.streamVersion, e]));
  expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
  for (const deposit of mine.filter((d) => d.status === 200)) {
    const stored = [...byVersion.values()].filter((e) => e.eventType === 'MoneyDeposited' && e.data.amount === deposit.amount);
    expect({ accountId, amount: deposit.amount, stored: stored.length }).toEqual({ accountId, amount: deposit.amount, stored: 1 });
  }
  // No deposit ran twice, acknowledged or not.
  const amounts = events.filter((e) => e.eventType === 'MoneyDeposited').map((e) => e.data.amount);
  expect(new Set(amounts).size).toBe(amounts.length);
}
