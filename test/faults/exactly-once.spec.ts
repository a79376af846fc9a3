import { jest } from '@jest/globals';
import { bank } from '../harness/bank.js';
import { eventually } from '../harness/eventually.js';
import { type EventRow, readEventRows } from '../harness/event-rows.js';
import { startFaultBank, type FaultBank } from '../harness/fault-bank.js';
import { failStateSaves, literal, slowAppend } from '../harness/pg-faults.js';
import type { SampleNode } from '../harness/sample-node.js';
import { report } from './bank-setup.js';
import { faultsMode } from './faults-mode.js';

jest.setTimeout(300_000);

/** More than the 32 command ids an aggregate used to remember: the retry must be recognised anyway. */
const OTHER_COMMANDS = 45;

const effects = (rows: EventRow[], type: string, match: (e: EventRow) => boolean) => rows.filter((e) => e.eventType === type && match(e));

/** Waits until the store holds an event matching `match`, and returns the rows. */
const storeHas = (schema: string, what: string, match: (e: EventRow) => boolean) =>
  eventually(
    async () => {
      const rows = await readEventRows(schema);
      if (!rows.some(match)) throw new Error(`the store has no ${what} yet`);
      return rows;
    },
    { timeout: 120_000, interval: 100 },
  );

/** `OTHER_COMMANDS` acknowledged deposits of 1 to `accountId`, five at a time; one a busy machine times out does not count. */
async function crowd(node: SampleNode, accountId: string): Promise<void> {
  for (let acknowledged = 0; acknowledged < OTHER_COMMANDS;) {
    const answers = await Promise.all([0, 1, 2, 3, 4].map(() => bank.deposit(node, accountId, 1)));
    const refused = answers.filter((a) => a.status !== 200 && a.body?.code !== 'COMMAND_TIMEOUT');
    if (refused.length) throw new Error(`a crowding deposit was refused: ${JSON.stringify(refused.map((a) => a.body))}`);
    acknowledged += answers.filter((a) => a.status === 200).length;
  }
}

describe('faults: exactly-once effects under injected database faults', () => {
  let faults: FaultBank;
  let node: SampleNode;

  beforeAll(async () => {
    faults = await startFaultBank({ nodes: 2, modeEnv: faultsMode().env });
    node = faults.cluster.node(0);
    for (const id of ['src', 'dst', 'slow-dst', 'client-dst']) await bank.openAccount(node, id, 1_000, true);
  });
  afterAll(() => faults?.close());

  it('deposits once when the process manager fails to save its state after the deposit and retries after 45 other commands', async () => {
    const fault = await failStateSaves(faults.schema.name, '$pm-transfer-money-t-17', 2);
    expect((await node.http.post('/transfers', { transferId: 't-17', from: 'src', to: 'dst', amount: 10 })).status).toBe(202);
    await storeHas(faults.schema.name, 'deposit of t-17', (e) => e.eventType === 'MoneyDeposited' && e.data.transferId === 't-17');
    await crowd(faults.cluster.node(1), 'dst');
    await fault.disarm();
    const rows = await storeHas(faults.schema.name, 'end of t-17', (e) => e.streamId === 'transfer-t-17' && e.eventType === 'TransferCompleted');
    const injected = await fault.hits();
    const deposits = effects(rows, 'MoneyDeposited', (e) => e.data.transferId === 't-17').length;
    report('process manager state save fails', { faultsInjected: injected, otherCommands: OTHER_COMMANDS, deposits });
    expect(injected).toBeGreaterThanOrEqual(1);
    if (deposits !== 1) throw new Error(`transfer t-17 deposited ${deposits} times (its state save failed ${injected} times after the deposit)`);
    expect(effects(rows, 'MoneyWithdrawn', (e) => e.data.transferId === 't-17')).toHaveLength(1);
  });

  it('deposits once when a process manager command times out after its append', async () => {
    const fault = await slowAppend(
      faults.schema.name,
      'slow_pm_deposit',
      `NEW.event_type = 'MoneyDeposited' AND NEW.data->>'transferId' = 't-slow'`,
      6,
    );
    expect((await node.http.post('/transfers', { transferId: 't-slow', from: 'src', to: 'slow-dst', amount: 10 })).status).toBe(202);
    const rows = await storeHas(faults.schema.name, 'end of t-slow', (e) => e.streamId === 'transfer-t-slow' && e.eventType === 'TransferCompleted');
    const deposits = effects(rows, 'MoneyDeposited', (e) => e.data.transferId === 't-slow').length;
    report('process manager command times out after append', { faultsInjected: await fault.hits(), deposits });
    expect(await fault.hits()).toBe(1);
    if (deposits !== 1) throw new Error(`transfer t-slow deposited ${deposits} times after its deposit timed out`);
  });

  it('applies a client deposit once when it times out after its append and is retried with its Idempotency-Key after 45 other commands', async () => {
    const fault = await slowAppend(faults.schema.name, 'slow_client_deposit', `NEW.metadata->>'commandId' = ${literal('key-504')}`, 6);
    const once = { headers: { 'idempotency-key': 'key-504' } };
    const first = await node.http.post('/accounts/client-dst/deposit', { amount: 500 }, once);
    expect(first).toMatchObject({ status: 504, body: { code: 'COMMAND_TIMEOUT' } });
    await storeHas(faults.schema.name, 'deposit key-504', (e) => e.metadata.commandId === 'key-504');
    await crowd(faults.cluster.node(1), 'client-dst');
    const retry = await node.http.post('/accounts/client-dst/deposit', { amount: 500 }, once);
    const applied = effects(await readEventRows(faults.schema.name), 'MoneyDeposited', (e) => e.metadata.commandId === 'key-504').length;
    report('client command times out after append', {
      matchingAppends: await fault.hits(),
      otherCommands: OTHER_COMMANDS,
      retryStatus: retry.status,
      applied,
    });
    expect(retry.status).toBe(200);
    if (applied !== 1) throw new Error(`deposit with Idempotency-Key key-504 applied ${applied} times after a 504 and a retry`);
  });
});
