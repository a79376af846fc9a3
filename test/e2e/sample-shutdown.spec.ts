import { jest } from '@jest/globals';
import { readEventRows } from '../harness/event-rows.js';
import { eventually } from '../harness/eventually.js';
import { type SampleOnStore, startSampleOn } from '../harness/sample-on-store.js';

jest.setTimeout(240_000);

const CLIENTS = 8;
const ACCOUNTS = 4;
/** Deposits acknowledged before SIGTERM, so it lands in the middle of the load. */
const BEFORE_SIGTERM = 100;
/** Only stops a node that never exits (keep-alive clients holding it open would); how soon it exits depends on the machine's load. */
const EXIT_GIVE_UP_MS = 60_000;

/** Keeps one keep-alive connection busy with deposits until the node stops answering. */
async function hammer(bank: SampleOnStore, client: number, acknowledged: string[]): Promise<void> {
  for (let i = 0; ; i++) {
    const key = `c${client}-${i}`;
    try {
      const response = await bank.node.http.post(
        `/accounts/acc-${client % ACCOUNTS}/deposit`,
        { amount: 1 },
        { headers: { 'idempotency-key': key }, timeout: 30_000 },
      );
      if (response.status === 200) acknowledged.push(key);
    } catch {
      return; // refused or reset: the node is going away
    }
  }
}

describe('sample stop under load', () => {
  let bank: SampleOnStore;

  beforeAll(async () => {
    bank = await startSampleOn('postgres');
    for (let a = 0; a < ACCOUNTS; a++) await bank.node.http.post('/accounts', { accountId: `acc-${a}`, initialBalance: 0 });
  });
  afterAll(() => bank?.close());

  it('exits on SIGTERM while keep-alive clients hammer it, keeping every acknowledged command', async () => {
    const acknowledged: string[] = [];
    const clients = Array.from({ length: CLIENTS }, (_, c) => hammer(bank, c, acknowledged));
    await eventually(() => expect(acknowledged.length).toBeGreaterThanOrEqual(BEFORE_SIGTERM), { timeout: 120_000, interval: 10 });
    // stop() throws when the process is still alive that long after SIGTERM.
    expect(await bank.node.stop(EXIT_GIVE_UP_MS)).toEqual({ code: 0, signal: null });
    await Promise.all(clients);
    const stored = new Set((await readEventRows(bank.schema!.name)).filter((e) => e.eventType === 'MoneyDeposited').map((e) => e.metadata.commandId));
    expect(acknowledged.filter((key) => !stored.has(key))).toEqual([]);
  });
});
