import type { EventRow } from './event-rows.js';

/** An account as its events say it is. */
export interface AccountFold {
  accountId: string;
  balance: number;
  version: number;
}

/** What the store says, and every rule it breaks. */
export interface LedgerAudit {
  accounts: Map<string, AccountFold>;
  /** Transfer id → 'completed' | 'failed' | 'pending'. */
  transfers: Map<string, string>;
  /** Money put in from outside: opening balances plus deposits that are not transfer steps, minus such withdrawals. */
  external: number;
  /** Events per command id, for commands that produced more than one. */
  duplicatedCommands: Map<string, number>;
  problems: string[];
}

const BALANCE_EVENTS = new Set(['MoneyDeposited', 'MoneyWithdrawn', 'MoneyRefunded']);
const EFFECTS = ['MoneyWithdrawn', 'MoneyDeposited', 'MoneyRefunded', 'WithdrawalRefused', 'DepositRefused'];

function byStream(rows: EventRow[]): Map<string, EventRow[]> {
  const streams = new Map<string, EventRow[]>();
  for (const row of rows) streams.set(row.streamId, [...(streams.get(row.streamId) ?? []), row]);
  return streams;
}

/** Folds one account stream, checking each event's balance follows from the one before. */
function foldAccount(events: EventRow[], problems: string[]): AccountFold {
  const accountId = events[0].data.accountId;
  let balance = 0;
  for (const e of events) {
    const expected =
      e.eventType === 'AccountOpened' ? e.data.initialBalance : e.eventType === 'MoneyWithdrawn' ? balance - e.data.amount : balance + e.data.amount;
    if (e.eventType === 'AccountOpened' || BALANCE_EVENTS.has(e.eventType)) {
      const stored = e.eventType === 'AccountOpened' ? e.data.initialBalance : e.data.balance;
      if (stored !== expected) problems.push(`${e.streamId} v${e.streamVersion} ${e.eventType} says ${stored}, the fold says ${expected}`);
      balance = stored;
    }
  }
  if (events[0].eventType !== 'AccountOpened')
    problems.push(`${events[0].streamId} starts with ${events[0].eventType}: written before the account was opened`);
  return { accountId, balance, version: events[events.length - 1].streamVersion };
}

/** Checks one transfer: its outcome, and each money movement exactly once. */
function auditTransfer(id: string, events: EventRow[], effects: Map<string, number>, problems: string[]): string {
  const types = new Set(events.map((e) => e.eventType));
  const n = (type: string) => effects.get(`${id}/${type}`) ?? 0;
  const [withdrawn, deposited, refunded, withdrawalRefused, depositRefused] = EFFECTS.map(n);
  for (const [type, count] of EFFECTS.map((t) => [t, n(t)] as const)) {
    if (count > 1) problems.push(`transfer ${id}: ${type} ${count} times${type === 'MoneyDeposited' ? ` (transfer ${id} deposited twice)` : ''}`);
  }
  if (types.has('TransferRefused')) {
    if (withdrawn + deposited + refunded + withdrawalRefused + depositRefused) problems.push(`transfer ${id} was refused but moved money`);
    return 'failed';
  }
  if (types.has('TransferCompleted')) {
    if (withdrawn !== 1 || deposited !== 1 || refunded !== 0)
      problems.push(`transfer ${id} completed with ${withdrawn} withdrawals, ${deposited} deposits, ${refunded} refunds`);
    return 'completed';
  }
  if (types.has('TransferFailed')) {
    const refusedAtSource = withdrawalRefused === 1 && withdrawn === 0;
    const refunded1 = withdrawn === 1 && depositRefused === 1 && refunded === 1;
    if (deposited !== 0 || !(refusedAtSource || refunded1))
      problems.push(`transfer ${id} failed without a clean refund (${EFFECTS.map((t) => `${t}=${n(t)}`).join(' ')})`);
    return 'failed';
  }
  return 'pending';
}

/** Audits every event of a bank's store: versions, ids, command effects, transfers, balances. */
export function auditLedger(rows: EventRow[]): LedgerAudit {
  const problems: string[] = [];
  const eventIds = new Set<string>();
  const perCommand = new Map<string, number>();
  const effects = new Map<string, number>();
  let external = 0;
  for (const row of rows) {
    if (eventIds.has(row.eventId)) problems.push(`event id ${row.eventId} stored twice`);
    eventIds.add(row.eventId);
    const commandId = row.metadata.commandId;
    if (typeof commandId === 'string') perCommand.set(commandId, (perCommand.get(commandId) ?? 0) + 1);
    const { transferId, amount } = row.data;
    if (transferId && EFFECTS.includes(row.eventType))
      effects.set(`${transferId}/${row.eventType}`, (effects.get(`${transferId}/${row.eventType}`) ?? 0) + 1);
    if (row.eventType === 'AccountOpened') external += row.data.initialBalance;
    if (!transferId && row.eventType === 'MoneyDeposited') external += amount;
    if (!transferId && row.eventType === 'MoneyWithdrawn') external -= amount;
  }
  const accounts = new Map<string, AccountFold>();
  const transfers = new Map<string, string>();
  for (const [streamId, events] of byStream(rows)) {
    events.forEach((e, i) => e.streamVersion !== i + 1 && problems.push(`${streamId}: event ${i + 1} has version ${e.streamVersion}`));
    if (streamId.startsWith('account-')) accounts.set(streamId.slice(8), foldAccount(events, problems));
    if (streamId.startsWith('transfer-')) transfers.set(streamId.slice(9), auditTransfer(streamId.slice(9), events, effects, problems));
  }
  const duplicatedCommands = new Map([...perCommand].filter(([, count]) => count > 1));
  for (const [commandId, count] of duplicatedCommands) problems.push(`command ${commandId} produced ${count} events (effect applied more than once)`);
  const total = [...accounts.values()].reduce((sum, a) => sum + a.balance, 0);
  if (total !== external) problems.push(`money not conserved: balances sum to ${total}, money put in is ${external}`);
  return { accounts, transfers, external, duplicatedCommands, problems };
}
