import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { type BenchApp, startBenchApp } from './bench-app.js';
import { type BenchConfig, scaled } from './bench-config.js';
import { creditEvent, LookAtWallet, sqlProjectorOf, walletTable, walletTableDdl, walletUpsert } from './bench-domain.js';
import { compare, type Figures, latencyFigures, pick, type Trial } from './bench-measure.js';
import { type BenchDatabase, withDatabase } from './bench-postgres.js';
import { median } from './bench-stats.js';
import { atMostTimes, benchRow } from './bench-result.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { rawCommits, strongDispatches } from './b5-latency.js';
import { formatNumber } from './bench-progress.js';
import { SeededRandom } from './seeded-random.js';

const SAMPLES = 1_000;
const WALLETS = 1_000;

/**
 * The floor of the design, written by hand with raw `pg`: the three round trips ours makes, BEGIN
 * with the append function (recording a command) as one query, the same upsert, COMMIT.
 */
function handWrittenInline(db: BenchDatabase, schema: string, table: string, config: BenchConfig, samples: number): Trial {
  const pool = db.pool(1);
  const upsert = walletUpsert(table);
  return (round) => {
    const random = new SeededRandom(config.seed * 1000 + round);
    return latencyFigures(samples, async () => {
      const stream = `wallet-${random.int(WALLETS)}`;
      const event = creditEvent(random, stream);
      const command = { commandId: randomUUID(), commandType: 'CreditWallet', payloadHash: randomUUID() };
      const args = [stream, 'any', JSON.stringify([event]), JSON.stringify(command)].map((value) => pg.escapeLiteral(value));
      const client = await pool.connect();
      try {
        const [, appended] = (await client.query(
          `BEGIN; SELECT * FROM "${schema}".append_events(${args[0]}, ${args[1]}, ${args[2]}, ${args[3]}::jsonb)`,
        )) as unknown as Array<pg.QueryResult<{ global_position: string }>>;
        await client.query(upsert, [stream, (event.data as { amount: number }).amount, appended.rows[0].global_position]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    });
  };
}

/** B10: a strong dispatch whose projection is inline (written in the append's transaction) against the same three statements sent by hand. */
export const b10InlineProjection: Scenario = {
  id: 'B10',
  title: 'strong dispatch with an inline projection, PostgreSQL',
  run: ({ config, progress }) =>
    withDatabase(config.databaseUrl, async (db) => {
      const samples = scaled(config, SAMPLES, 100);
      const rounds = { warmups: config.warmups, repeats: Math.min(config.repeats, 3) };
      const token = randomBytes(4).toString('hex');
      const rawSchema = await db.migratedSchema('b10_raw');
      const schema = await db.migratedSchema('b10_inline');
      const table = walletTable(schema, 'wallets');
      await db.pool(1).query(walletTableDdl(table));
      const handSchema = await db.migratedSchema('b10_hand');
      const handTable = walletTable(handSchema, 'wallets');
      await db.pool(1).query(walletTableDdl(handTable));
      const floor = handWrittenInline(db, handSchema, handTable, config, samples);
      let app: BenchApp | undefined;
      try {
        app = await startBenchApp({ eventStore: { adapter: 'postgres', connectionString: config.databaseUrl, schema } }, [
          sqlProjectorOf('b10-wallets', table, 'strong', true),
        ]);
        for (let i = 0; i < WALLETS; i++) await app.gateway.dispatch(new LookAtWallet(`${token}-${i}`));
        progress.line('strong dispatches with an inline projection against the same statements by hand, then raw INSERT commits');
        const describe = (f: Figures) => `p50 ${f.p50.toFixed(2)} ms, p99 ${f.p99.toFixed(2)} ms`;
        const running = app;
        const raw = rawCommits(db, rawSchema, config, samples);
        // The raw INSERT runs in the baseline's turn and goes into the notes: the baseline is the same three statements by hand.
        const rawFigures: Figures[] = [];
        const floorThenRaw: Trial = async (round) => {
          const figures = await floor(round);
          const inserted = await raw(round);
          if (round >= rounds.warmups) rawFigures.push(inserted);
          return figures;
        };
        const result = await compare(
          rounds,
          progress,
          { ours: strongDispatches(() => running, config, samples, token), baseline: floorThenRaw },
          describe,
        );
        const { rows } = await db.pool(1).query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
        if (Number(rows[0].n) === 0) throw new Error('The inline projection wrote nothing; the figures are void');
        return (['p50', 'p99'] as const).map((key) => {
          const inserts = pick(rawFigures, key);
          const oursMedian = median(pick(result.ours, key));
          return benchRow({
            scenario: 'B10',
            case: 'strong dispatch with an inline projection',
            metric: `${key} ms`,
            better: 'lower',
            ours: pick(result.ours, key),
            baseline: pick(result.baseline, key),
            ...(key === 'p50' && { target: atMostTimes(1.15, 'by hand') }),
            oursWork: `${formatNumber(samples)} sequential \`dispatch(CreditWallet, { consistency: 'strong' })\` per repeat over ${WALLETS} wallets loaded beforehand; an inline \`@Projector\` upserts one row per event through \`context.sql\` in the append's own transaction: three round trips, BEGIN with the append function (which records the command) as one query, the upsert, COMMIT; latency until dispatch resolves`,
            baselineWork: `the same three round trips sent by hand with raw \`pg\` on one connection, ${formatNumber(samples)} sequential per repeat over the same number of wallets: BEGIN with the store's append function (recording a command) as one query, the same upsert, COMMIT; the floor of a projection written in the append's transaction`,
            notes: [
              `One raw \`pg\` single-row INSERT commit (autocommit, same synchronous_commit), run in the baseline's turn: ${key} ${inserts.map((v) => v.toFixed(2)).join(', ')} ms per repeat; ours is ${(oursMedian / median(inserts)).toFixed(2)}× it (median), the three statements by hand ${(median(pick(result.baseline, key)) / median(inserts)).toFixed(2)}×: the difference is the two extra round trips the shared transaction needs.`,
            ],
          });
        });
      } finally {
        await app?.close();
      }
    }),
};

runIfMain(import.meta.url, b10InlineProjection);
