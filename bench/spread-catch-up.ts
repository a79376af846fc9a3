import type { BenchConfig } from './bench-config.js';
import type { Trial } from './bench-measure.js';
import { ratePerSecond } from './bench-measure.js';
import type { BenchDatabase } from './bench-postgres.js';
import { NodeProcess } from './node-process.js';

/** Polls of the partitions' checkpoints while waiting: short, so they add little to a run of seconds. */
const POLL_MS = 10;
const GIVE_UP_MS = 30 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it is true; fails the scenario when it never gets there. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + GIVE_UP_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`B4 spread: ${what} did not happen within ${GIVE_UP_MS} ms`);
    await sleep(POLL_MS);
  }
}

/**
 * An I/O-bound event handler spread over `partitions` partitions, run by `processes` node processes
 * of their own, catching up on the `events` seeded in `schema`. The subscription is recorded paused
 * before the nodes start, so they split it and share its partitions first; the time runs from the
 * resume until every partition's checkpoint reached the head.
 */
export function spreadCatchUp(
  config: BenchConfig,
  db: BenchDatabase,
  backlog: { schema: string; events: number },
  processes: number,
  ioMs: number,
  partitions: number,
): Trial {
  return async (round) => {
    const name = `b4-spread-${processes}-${round}`;
    const table = `"${backlog.schema}".subscriptions`;
    const pool = db.pool(1);
    await pool.query(`INSERT INTO ${table} (name, paused) VALUES ($1, true)`, [name]);
    const options = (index: number) => ({
      eventStore: { adapter: 'postgres' as const, connectionString: config.databaseUrl, schema: backlog.schema },
      nodeName: `${name}-node-${index}`,
      subscriptions: { pollInterval: 100, lockRetryInterval: 200 },
    });
    const nodes = await NodeProcess.startAll(
      Array.from({ length: processes }, (_, index) => options(index)),
      { name, ioMs, partitions },
    );
    try {
      await until('the partitions shared among the nodes', async () => {
        const { rows } = await pool.query<{ held: string; owners: string }>(
          `SELECT count(owner) AS held, count(DISTINCT owner) AS owners FROM ${table} WHERE partition_of = $1`,
          [name],
        );
        return Number(rows[0].held) === partitions && Number(rows[0].owners) === Math.min(processes, partitions);
      });
      const head = backlog.events;
      const rate = await ratePerSecond(backlog.events, async () => {
        await pool.query(`UPDATE ${table} SET paused = false WHERE name = $1 OR partition_of = $1`, [name]);
        await until('the catch-up', async () => {
          const { rows } = await pool.query<{ low: string }>(`SELECT min(position) AS low FROM ${table} WHERE partition_of = $1`, [name]);
          return Number(rows[0].low) >= head;
        });
      });
      return { rate };
    } finally {
      await Promise.all(nodes.map((node) => node.stop()));
    }
  };
}
