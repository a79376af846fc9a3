import type { NewEvent } from '../lib/index.js';
import { scaled } from './bench-config.js';
import { compare, concurrently, pick, ratePerSecond } from './bench-measure.js';
import { appendFunctionCall, BENCH_POOL_SIZE, rawInsert, withDatabase } from './bench-postgres.js';
import { formatNumber } from './bench-progress.js';
import { atLeastTimes, benchRow } from './bench-result.js';
import type { Scenario } from './bench-scenario.js';
import { creditEvent, WALLET_PREFIX } from './bench-domain.js';
import { SeededRandom } from './seeded-random.js';

/** Shape of an append benchmark: B1 (single events) and B2 (batches) differ only in these. */
export interface AppendScenarioSpec {
  id: string;
  title: string;
  /** Events per append. */
  batchSize: number;
  /** Events written per round by all writers together, before scaling. */
  eventsPerRound: number;
  writers: number;
}

/** Per writer, the batches of one round: generated before the clock starts, the same for both sides. */
function roundWork(spec: AppendScenarioSpec, seed: number, round: number, appendsPerWriter: number): NewEvent[][][] {
  const random = new SeededRandom(seed * 1000 + round);
  return Array.from({ length: spec.writers }, (_, writer) =>
    Array.from({ length: appendsPerWriter }, () => Array.from({ length: spec.batchSize }, () => creditEvent(random, `writer-${writer}`))),
  );
}

/**
 * Concurrent writers, each on its own stream, appending with the exact expected version:
 * `EventStore.appendToStream` against raw `pg` INSERTs into a schema with the same tables, and
 * against the store's own append function called by hand once per append (the floor of what each
 * append must do), all on pools of the same size and the server's default durability.
 */
export function appendScenario(spec: AppendScenarioSpec): Scenario {
  return {
    id: spec.id,
    title: spec.title,
    run: ({ config, progress }) =>
      withDatabase(config.databaseUrl, async (db) => {
        const appendsPerWriter = Math.max(1, Math.round(scaled(config, spec.eventsPerRound) / spec.writers / spec.batchSize));
        const eventsPerRound = appendsPerWriter * spec.writers * spec.batchSize;
        const { store } = await db.openStore(`${spec.id.toLowerCase()}_ours`);
        const rawSchema = await db.migratedSchema(`${spec.id.toLowerCase()}_raw`);
        const functionSchema = await db.migratedSchema(`${spec.id.toLowerCase()}_fn`);
        const pool = db.pool();
        const streamOf = (writer: number) => `${WALLET_PREFIX}writer-${writer}`;
        const ourVersions = new Array<number>(spec.writers).fill(0);
        const rawVersions = new Array<number>(spec.writers).fill(0);
        const functionVersions = new Array<number>(spec.writers).fill(0);
        /** One round of `spec.writers` loops, each appending its batches through `append`, as events per second. */
        const writeRound = (round: number, append: (writer: number, batch: NewEvent[]) => Promise<void>) => {
          const work = roundWork(spec, config.seed, round, appendsPerWriter);
          return ratePerSecond(eventsPerRound, () =>
            concurrently(spec.writers, async (writer) => {
              for (const batch of work[writer]) await append(writer, batch);
            }),
          );
        };
        try {
          const result = await compare(
            config,
            progress,
            {
              ours: async (round) => ({
                rate: await writeRound(round, async (writer, batch) => {
                  ourVersions[writer] = (await store.appendToStream(streamOf(writer), ourVersions[writer], batch)).streamVersion;
                }),
              }),
              baseline: async (round) => ({
                rate: await writeRound(round, async (writer, batch) => {
                  await pool.query(rawInsert(rawSchema, streamOf(writer), rawVersions[writer] + 1, batch));
                  rawVersions[writer] += batch.length;
                }),
              }),
              function: async (round) => ({
                rate: await writeRound(round, async (writer, batch) => {
                  await pool.query(appendFunctionCall(functionSchema, streamOf(writer), functionVersions[writer], batch));
                  functionVersions[writer] += batch.length;
                }),
              }),
            },
            (figures) => `${formatNumber(figures.rate)} events/s`,
          );
          const batch = spec.batchSize === 1 ? '1 event' : `batches of ${spec.batchSize} events`;
          const title = `append ${batch} with expected version, ${spec.writers} writers on distinct streams, PostgreSQL`;
          const oursWork = `${formatNumber(eventsPerRound)} events per repeat through \`EventStore.appendToStream(stream, exactVersion, events)\` of the postgres adapter (pool of ${BENCH_POOL_SIZE}): validation, then the appends in flight together committed as one \`append_event_groups\` call (per append: advisory lock on its stream, version check, events INSERT), then a NOTIFY after the commit`;
          return [
            benchRow({
              scenario: spec.id,
              case: title,
              metric: 'events/s',
              better: 'higher',
              ours: pick(result.ours, 'rate'),
              baseline: pick(result.baseline, 'rate'),
              target: atLeastTimes(0.7),
              oursWork,
              baselineWork: `the same events as raw \`pg\` ${spec.batchSize === 1 ? 'single-row' : `${spec.batchSize}-row`} \`INSERT INTO events (...) VALUES ...\` (pool of ${BENCH_POOL_SIZE}, autocommit) into a schema with the store's own events table, indexes and position sequence; UNIQUE (stream_id, stream_version) is its version check; same server, same synchronous_commit`,
            }),
            benchRow({
              scenario: spec.id,
              case: `${title}, vs the store's append function called by hand`,
              metric: 'events/s',
              better: 'higher',
              ours: pick(result.ours, 'rate'),
              baseline: pick(result.function, 'rate'),
              oursWork: 'the same appends as the row above, in the same rounds',
              baselineWork: `the floor of the work each append must do: raw \`pg\` calls of the store's own \`append_events\` function, one per append (no command recorded), with the expected version tracked by hand, pool of ${BENCH_POOL_SIZE}, ${spec.writers} concurrent loops, into a schema of its own migrated like ours`,
            }),
          ];
        } finally {
          await store.close();
        }
      }),
  };
}
