import { randomBytes } from 'node:crypto';
import { type BenchApp, startBenchApp } from './bench-app.js';
import { scaled } from './bench-config.js';
import { LookAtWallet, sqlProjectorOf, walletTable, walletTableDdl } from './bench-domain.js';
import { compare, type Figures, pick } from './bench-measure.js';
import { withDatabase } from './bench-postgres.js';
import { atMostTimes, benchRow } from './bench-result.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { rawCommits, strongDispatches } from './b5-latency.js';
import { formatNumber } from './bench-progress.js';

const SAMPLES = 1_000;
const WALLETS = 1_000;

/** B10: a strong dispatch whose projection is inline (written in the append's transaction) against one raw INSERT commit. */
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
      let app: BenchApp | undefined;
      try {
        app = await startBenchApp({ eventStore: { adapter: 'postgres', connectionString: config.databaseUrl, schema } }, [
          sqlProjectorOf('b10-wallets', table, 'strong', true),
        ]);
        for (let i = 0; i < WALLETS; i++) await app.gateway.dispatch(new LookAtWallet(`${token}-${i}`));
        progress.line('strong dispatches with an inline projection against raw INSERT commits');
        const describe = (f: Figures) => `p50 ${f.p50.toFixed(2)} ms, p99 ${f.p99.toFixed(2)} ms`;
        const running = app;
        const result = await compare(
          rounds,
          progress,
          { ours: strongDispatches(() => running, config, samples, token), baseline: rawCommits(db, rawSchema, config, samples) },
          describe,
        );
        const { rows } = await db.pool(1).query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
        if (Number(rows[0].n) === 0) throw new Error('The inline projection wrote nothing; the figures are void');
        return (['p50', 'p99'] as const).map((key) =>
          benchRow({
            scenario: 'B10',
            case: 'strong dispatch with an inline projection',
            metric: `${key} ms`,
            better: 'lower',
            ours: pick(result.ours, key),
            baseline: pick(result.baseline, key),
            ...(key === 'p50' && { target: atMostTimes(1.5) }),
            oursWork: `${formatNumber(samples)} sequential \`dispatch(CreditWallet, { consistency: 'strong' })\` per repeat over ${WALLETS} wallets loaded beforehand; an inline \`@Projector\` upserts one row per event through \`context.sql\` in the append's own transaction (BEGIN, append function, upsert, COMMIT); latency until dispatch resolves`,
            baselineWork: `${formatNumber(samples)} sequential raw \`pg\` single-row INSERT commits (autocommit, same synchronous_commit) into a schema with the store's events table`,
          }),
        );
      } finally {
        await app?.close();
      }
    }),
};

runIfMain(import.meta.url, b10InlineProjection);
