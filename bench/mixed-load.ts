import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type pg from 'pg';
import { concurrently } from './bench-measure.js';
import { SeededRandom } from './seeded-random.js';

/** The sample bank built beside this file, started as its own process. */
export const SAMPLE_ENTRY = new URL('../sample/main.js', import.meta.url).pathname;
const ACCOUNTS = 100;
/** How long a round waits after its load for everything accepted to settle. */
const SETTLE_LIMIT_MS = 180_000;

/** What the clients send: every kind of request, or deposits only. */
export type Mix = 'mixed' | 'deposits';

/** Figures of one round: requests accepted and refused per second of load, and the settle time. */
export interface MixedLoadFigures extends Record<string, number> {
  accepted: number;
  refused: number;
  transfers: number;
  settleMs: number;
}

/** One round's settings; `entry` is the bank's `main.js` (this build's, or another commit's for comparison). */
export interface MixedLoadRound {
  databaseUrl: string;
  pool: pg.Pool;
  schema: string;
  clients: number;
  ms: number;
  seed: number;
  mix: Mix;
  entry?: string;
}

/** Starts the bank on PostgreSQL in a process of its own; resolves with its port once it listens. */
async function startBank(entry: string, databaseUrl: string, schema: string) {
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, PORT: '0', EVENT_STORE: 'postgres', DATABASE_URL: databaseUrl, EVENT_STORE_SCHEMA: schema },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the bank (${entry}) exited with ${String(code)} before listening`);
  });
  const listening = new Promise<number>((resolve) =>
    lines.on('line', (line) => {
      const port = /^listening on (\d+)/.exec(line)?.[1];
      if (port) resolve(Number(port));
    }),
  );
  const port = await Promise.race([listening, exited]);
  exited.catch(() => undefined);
  const stop = async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  };
  return { port, stop };
}

async function post(port: number, path: string, body: object): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.ok;
}

/** True once every accepted transfer is completed or failed and both projections have the head. */
async function settled(pool: pg.Pool, schema: string, transfers: number): Promise<boolean> {
  const { rows } = await pool.query<{ done: number; behind: number }>(
    `SELECT (SELECT count(*)::int FROM "${schema}".bank_read_models WHERE kind = 'transfer' AND doc->>'status' IN ('completed', 'failed')) AS done,
            (SELECT count(*)::int FROM "${schema}".subscriptions
              WHERE name IN ('account-balances', 'transfer-status')
                AND position < (SELECT coalesce(max(global_position), 0) FROM "${schema}".events)) AS behind`,
  );
  return rows[0].done >= transfers && rows[0].behind === 0;
}

/**
 * One round on a fresh bank: `clients` loops send requests over HTTP for `ms` (deposits,
 * withdrawals and transfers in equal shares between random accounts, or deposits only); then the
 * time until everything accepted has settled: each transfer completed or failed in its
 * projection, and the projections at the head of the store.
 */
export async function mixedLoadRound(round: MixedLoadRound): Promise<MixedLoadFigures> {
  const bank = await startBank(round.entry ?? SAMPLE_ENTRY, round.databaseUrl, round.schema);
  try {
    const port = bank.port;
    const token = randomBytes(3).toString('hex');
    await concurrently(round.clients, async (c) => {
      for (let a = c; a < ACCOUNTS; a += round.clients) await post(port, '/accounts', { accountId: `acc-${a}`, initialBalance: 1_000_000_000 });
    });
    const random = new SeededRandom(round.seed);
    let [accepted, refused, transfers] = [0, 0, 0];
    const begun = performance.now();
    await concurrently(round.clients, async (c) => {
      for (let i = 0; performance.now() < begun + round.ms; i++) {
        const [from, to, amount] = [random.int(ACCOUNTS), random.int(ACCOUNTS - 1), 1 + random.int(100)];
        const kind = round.mix === 'deposits' ? 0 : random.int(3);
        const ok =
          kind === 0
            ? await post(port, `/accounts/acc-${from}/deposit`, { amount })
            : kind === 1
              ? await post(port, `/accounts/acc-${from}/withdraw`, { amount })
              : await post(port, '/transfers', {
                  transferId: `t-${token}-${c}-${i}`,
                  from: `acc-${from}`,
                  to: `acc-${(from + 1 + to) % ACCOUNTS}`,
                  amount,
                });
        if (ok) accepted++;
        else refused++;
        if (ok && kind === 2) transfers++;
      }
    });
    const loadEnd = performance.now();
    const seconds = (loadEnd - begun) / 1000;
    while (!(await settled(round.pool, round.schema, transfers)) && performance.now() - loadEnd < SETTLE_LIMIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { accepted: accepted / seconds, refused: refused / seconds, transfers: transfers / seconds, settleMs: performance.now() - loadEnd };
  } finally {
    await bank.stop();
  }
}
