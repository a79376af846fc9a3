import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseLoad, loadBetween, LoadMonitor } from '../../bench/database-load.js';
import type { FilteredLoadFigures } from '../../bench/growth-filtered-load.js';
import { filteredRoundValues } from '../../bench/growth-filtered-rows.js';

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const ROWS = 200;
const SELECTS = 25;

/** The URL of `database` on the same server. */
function urlOf(database: string): string {
  const url = new URL(DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `work` on a database of its own, so no other session's work lands in its counters. */
async function withOwnDatabase(work: (url: string) => Promise<void>): Promise<void> {
  const name = `es_load_spec_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      await work(urlOf(name));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

/** Opens a session named `applicationName`, runs `work`, closes it. */
async function asSession(url: string, applicationName: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

describe('B12 filtered-load counters', () => {
  it("counts a closed session's statements, rows and buffers exactly once it is gone, and sees other sessions at work", async () => {
    await withOwnDatabase(async (url) => {
      await asSession(url, 'setup', async (client) => {
        await client.query('CREATE TABLE t (n int)');
        await client.query(`INSERT INTO t SELECT generate_series(1, ${ROWS})`);
      });
      const monitor = await LoadMonitor.open(url);
      try {
        await monitor.gone('setup');
        const before = await monitor.read();
        await asSession(url, 'measured', async (client) => {
          for (let i = 0; i < SELECTS; i++) await client.query('SELECT count(*) FROM t');
        });
        await monitor.gone('measured');
        const after = await monitor.read();
        const delta = loadBetween(before, after);
        // A session's start is a transaction of its own, in which it reads the catalogs.
        expect(delta.transactions).toBe(SELECTS + 1);
        expect(delta.rows).toBeGreaterThanOrEqual(SELECTS * ROWS);
        expect(delta.buffers).toBeGreaterThanOrEqual(SELECTS);
        expect(await monitor.activeSince(before.at)).toBe(0);

        const other = new pg.Client({ connectionString: url, application_name: 'other' });
        await other.connect();
        try {
          await other.query('SELECT 1');
          expect(await monitor.activeSince(before.at)).toBe(1);
        } finally {
          await other.end();
        }
      } finally {
        await monitor.close();
      }
    });
  });

  it('names the database it cannot watch', async () => {
    const monitor = await LoadMonitor.open(urlOf(`es_missing_${randomBytes(4).toString('hex')}`));
    try {
      await expect(monitor.read()).rejects.toThrow(/No database 'es_missing_\w+' in pg_stat_database/);
    } finally {
      await monitor.close();
    }
  });
});

describe('B12 filtered-load values', () => {
  const load = (buffers: number, transactions: number, statements?: number): DatabaseLoad => ({
    buffers,
    transactions,
    rows: buffers * 2,
    activeMs: transactions * 2,
    ...(statements !== undefined && { statements }),
  });
  const run = (projectors: number, figures: DatabaseLoad): [number, FilteredLoadFigures] => [
    projectors,
    { load: figures, checkpoints: projectors * 21, handled: projectors * 20, appends: 1_000, rate: 150, others: 0 },
  ];

  it('keeps each run, checkpoints per projector, and what the projectors add to the appends alone', () => {
    const values = filteredRoundValues(new Map([run(1, load(26_000, 1_400)), run(30, load(51_000, 2_800)), run(0, load(24_000, 1_200))]));
    expect(values).toMatchObject({
      'filtered 30 buffers': 51_000,
      'filtered 1 transactions': 1_400,
      'filtered 0 buffers': 24_000,
      'filtered 30 checkpoints per projector': 21,
      'filtered 1 checkpoints per projector': 21,
      'filtered 30 added buffers': 27_000,
      'filtered 1 added buffers': 2_000,
      'filtered 30 added transactions': 1_600,
      'filtered 1 added rows': 4_000,
    });
    expect(Object.keys(values).filter((name) => name.startsWith('filtered 0 ') && name.includes('added'))).toEqual([]);
  });

  it('subtracts statements only when both readings have them', () => {
    expect(loadBetween(load(10, 5, 100), load(30, 8, 160))).toEqual({ buffers: 20, transactions: 3, rows: 40, activeMs: 6, statements: 60 });
    expect(loadBetween(load(10, 5), load(30, 8, 160))).not.toHaveProperty('statements');
  });
});
