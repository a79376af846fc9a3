import { randomBytes } from 'node:crypto';
import { Transport } from '@nestjs/microservices';
import type { EventSourcingModuleOptions } from '../lib/index.js';
import { type BenchApp, startBenchApp } from './bench-app.js';
import { type BenchConfig, scaled } from './bench-config.js';
import { CreditWallet, creditEvent, LookAtWallet, sqlProjectorOf, walletTable, walletTableDdl } from './bench-domain.js';
import { compare, type Comparison, type Figures, latencyFigures, pick, type Trial } from './bench-measure.js';
import { type BenchDatabase, rawInsert, withDatabase } from './bench-postgres.js';
import { formatNumber } from './bench-progress.js';
import { atMostPlus, atMostTimes, benchRow, type BenchRow, type Target } from './bench-result.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { RedisRoundTrip } from './redis-round-trip.js';
import { SeededRandom } from './seeded-random.js';

const SAMPLES = 1_000;
const WALLETS = 1_000;
const PROJECTOR = 'b5-wallets';

/** Strong dispatches on `app`, one after another, over seeded wallets. */
export function strongDispatches(app: () => BenchApp, config: BenchConfig, samples: number, token: string): Trial {
  return (round) => {
    const random = new SeededRandom(config.seed * 1000 + round);
    return latencyFigures(samples, () =>
      app().gateway.dispatch(new CreditWallet(`${token}-${random.int(WALLETS)}`, 1 + random.int(1000)), { consistency: 'strong' }),
    );
  };
}

/** Raw single-row INSERT commits, one after another, into a schema with the store's tables. */
export function rawCommits(db: BenchDatabase, schema: string, config: BenchConfig, samples: number): Trial {
  const pool = db.pool(1);
  const versions = new Map<string, number>();
  return (round) => {
    const random = new SeededRandom(config.seed * 1000 + round);
    return latencyFigures(samples, () => {
      const stream = `wallet-${random.int(WALLETS)}`;
      const version = (versions.get(stream) ?? 0) + 1;
      versions.set(stream, version);
      return pool.query(rawInsert(schema, stream, version, [creditEvent(random, stream)]));
    });
  };
}

async function waitUntilRunning(app: BenchApp, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (app.subscriptions.status(name)?.state !== 'running') {
    if (Date.now() > deadline) throw new Error(`Subscription '${name}' did not start running within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function latencyRows(scenarioCase: string, result: Comparison, target: Target, oursWork: string, baselineWork: string, notes: string[]): BenchRow[] {
  const percentiles: Array<[string, string]> = [
    ['p50', 'p50 ms'],
    ['p99', 'p99 ms'],
    ['p999', 'p99.9 ms'],
  ];
  return percentiles.map(([key, metric]) =>
    benchRow({
      scenario: 'B5',
      case: scenarioCase,
      metric,
      better: 'lower',
      ours: pick(result.ours, key),
      baseline: pick(result.baseline, key),
      ...(key === 'p99' && { target }),
      oursWork,
      baselineWork,
      notes,
    }),
  );
}

/** B5: command → projection latency with strong consistency, one node and two nodes over Redis. */
export const b5Latency: Scenario = {
  id: 'B5',
  title: 'command → projection latency with strong consistency, PostgreSQL (+ Redis across nodes)',
  run: ({ config, progress }) =>
    withDatabase(config.databaseUrl, async (db) => {
      const samples = scaled(config, SAMPLES, 100);
      const rounds = { warmups: config.warmups, repeats: Math.min(config.repeats, 3) };
      const token = randomBytes(4).toString('hex');
      const describe = (f: Figures) => `p50 ${f.p50.toFixed(2)} ms, p99 ${f.p99.toFixed(2)} ms, p99.9 ${f.p999.toFixed(2)} ms`;
      const rawSchema = await db.migratedSchema('b5_raw');
      const raw = rawCommits(db, rawSchema, config, samples);
      const redis = await RedisRoundTrip.connect(config.redisUrl, `bench.b5.${token}`);
      const apps: BenchApp[] = [];
      /** A migrated schema with the projection's table, and an application on it. */
      const start = async (schema: string, options: Partial<EventSourcingModuleOptions> = {}) => {
        const table = walletTable(schema, 'wallets');
        const app = await startBenchApp({ eventStore: { adapter: 'postgres', connectionString: config.databaseUrl, schema }, ...options }, [
          sqlProjectorOf(PROJECTOR, table, 'strong'),
        ]);
        apps.push(app);
        return app;
      };
      /** Loads every wallet first, so the figures are of live aggregates, not of first loads. */
      const loadWallets = async (app: BenchApp) => {
        for (let i = 0; i < WALLETS; i++) await app.gateway.dispatch(new LookAtWallet(`${token}-${i}`));
      };
      const prepare = async (label: string) => {
        const schema = await db.migratedSchema(label);
        await db.pool(1).query(walletTableDdl(walletTable(schema, 'wallets')));
        return schema;
      };
      try {
        const one = await start(await prepare('b5_one'));
        await waitUntilRunning(one, PROJECTOR);
        await loadWallets(one);
        progress.line('one node: strong dispatches against raw INSERT commits');
        const oneNode = await compare(rounds, progress, { ours: strongDispatches(() => one, config, samples, token), baseline: raw }, describe);

        const twoSchema = await prepare('b5_two');
        const pubsub = redisPubSub(config.redisUrl);
        const projecting = await start(twoSchema, { pubsub, nodeName: `bench-b5-projector-${token}` });
        await waitUntilRunning(projecting, PROJECTOR);
        const commanding = await start(twoSchema, { pubsub, nodeName: `bench-b5-commands-${token}` });
        await loadWallets(commanding);
        progress.line('two nodes over Redis: strong dispatches on one node, the projector on the other');
        const redisFigures: Figures[] = [];
        const rawPlusRedis: Trial = async (round) => {
          const insert = await raw(round);
          const redisTrip = await latencyFigures(samples, () => redis.once());
          if (round >= rounds.warmups) redisFigures.push(redisTrip);
          return { p50: insert.p50 + redisTrip.p50, p99: insert.p99 + redisTrip.p99, p999: insert.p999 + redisTrip.p999 };
        };
        const twoNodes = await compare(
          rounds,
          progress,
          { ours: strongDispatches(() => commanding, config, samples, token), baseline: rawPlusRedis },
          describe,
        );
        if (commanding.subscriptions.status(PROJECTOR)?.state !== 'standby')
          throw new Error('The projector ran on the commanding node; the two-node case is void');

        const strongWork = (where: string) =>
          `${formatNumber(samples)} sequential \`dispatch(CreditWallet, { consistency: 'strong' })\` per repeat over ${WALLETS} wallets loaded beforehand, ${where}; a strong \`@Projector\` upserts one row per event through \`context.sql\` in its checkpoint's transaction; latency until dispatch resolves`;
        const insertWork = `${formatNumber(samples)} sequential raw \`pg\` single-row INSERT commits (autocommit, same synchronous_commit) into a schema with the store's events table`;
        const redisNote = `Raw Redis PUBLISH→message p99: ${pick(redisFigures, 'p99')
          .map((v) => v.toFixed(2))
          .join(', ')} ms per repeat.`;
        return [
          ...latencyRows(
            'strong command → projection, one node',
            oneNode,
            atMostTimes(3),
            strongWork('one application, local pubsub'),
            insertWork,
            [],
          ),
          ...latencyRows(
            'strong command → projection, two nodes over Redis',
            twoNodes,
            atMostPlus(2, 'ms'),
            strongWork('dispatched on node A while the projector runs on node B; two applications in one process sharing the schema, RedisPubSub'),
            `${insertWork}, plus (added per percentile) ${formatNumber(samples)} sequential raw Redis PUBLISH→message round trips on a private channel`,
            [redisNote, 'Both nodes share one Node.js event loop.'],
          ),
        ];
      } finally {
        await Promise.all(apps.map((app) => app.close()));
        await redis.close();
      }
    }),
};

/** Redis pubsub options from a `redis://host:port` URL. */
function redisPubSub(url: string): EventSourcingModuleOptions['pubsub'] {
  const parsed = new URL(url);
  return { transport: Transport.REDIS, options: { host: parsed.hostname, port: Number(parsed.port || 6379) } };
}

runIfMain(import.meta.url, b5Latency);
