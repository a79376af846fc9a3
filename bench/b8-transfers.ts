import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type pg from 'pg';
import { CommandGateway, EventSourcingModule } from '../lib/index.js';
import { PubSub } from '../lib/pubsub/pubsub.interface.js';
import { AccountBalancesProjector } from '../sample/accounts/account-balances.projector.js';
import { OpenAccount } from '../sample/accounts/account.commands.js';
import { BankAccount } from '../sample/accounts/bank-account.aggregate.js';
import { SAMPLE_CONFIG, type SampleConfig } from '../sample/config.js';
import { ReadModel } from '../sample/read-model/read-model.js';
import { RequestTransfer } from '../sample/transfers/transfer.commands.js';
import { TransferMoney } from '../sample/transfers/transfer-money.process-manager.js';
import { TransferStatusProjector } from '../sample/transfers/transfer-status.projector.js';
import { Transfer } from '../sample/transfers/transfer.aggregate.js';
import { scaled } from './bench-config.js';
import { compare, concurrently, type Figures, pick } from './bench-measure.js';
import { BENCH_POOL_SIZE, type BenchDatabase, withDatabase } from './bench-postgres.js';
import { formatNumber } from './bench-progress.js';
import { atLeastTimes, benchRow, type Target } from './bench-result.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { percentile } from './bench-stats.js';
import { SeededRandom } from './seeded-random.js';
import { TransferCompletions } from './transfer-completions.js';
import { type MixedLoadFigures, mixedLoadRound } from './mixed-load.js';

const ACCOUNTS = 200;
const STARTERS = 16;
/** The ramp before the measured rounds: lag is reported per level, to find where it starts to grow. */
const RAMP = [2, 4, 8];
const LOAD_MS = 8_000;
/** How long a round waits after its load for the backlog of transfers to complete. */
const DRAIN_MS = 60_000;
const LAG_P99_TARGET_MS = 1_000;
/** The mixed load over HTTP: clients, and how long they send. */
const MIXED_CLIENTS = 8;
const MIXED_MS = 30_000;
const SETTLE_TARGET_MS = 5_000;

@Module({})
class TransferBenchModule {}

/** The sample's transfer flow without HTTP: accounts, transfers, the process manager and both projectors. */
async function startBank(config: SampleConfig) {
  const module: DynamicModule = {
    module: TransferBenchModule,
    imports: [
      EventSourcingModule.forRoot(config.eventSourcing),
      EventSourcingModule.forFeature({ aggregates: [BankAccount, Transfer], processManagers: [TransferMoney] }),
    ],
    providers: [{ provide: SAMPLE_CONFIG, useValue: config }, ReadModel, AccountBalancesProjector, TransferStatusProjector],
  };
  return NestFactory.createApplicationContext(module, { logger: ['error', 'warn'], abortOnError: false });
}

/**
 * One level of load on a bank of its own (new schema, new application, accounts opened first), so
 * a backlog left by one level never slows the next: `starters` loops requesting transfers between
 * random distinct accounts for `ms`, then up to {@link DRAIN_MS} for the backlog to complete.
 */
async function level(db: BenchDatabase, pool: pg.Pool, databaseUrl: string, starters: number, ms: number, seed: number): Promise<Figures> {
  const schema = db.schema(`b8_bank_${seed}`);
  const config: SampleConfig = {
    port: 0,
    schema,
    inspector: false,
    eventSourcing: { eventStore: { adapter: 'postgres', connectionString: databaseUrl, schema, poolSize: BENCH_POOL_SIZE } },
  };
  const bank = await startBank(config);
  const completions = new TransferCompletions(bank.get<symbol, PubSub>(PubSub), pool, schema);
  try {
    const gateway = bank.get(CommandGateway);
    await concurrently(STARTERS, async (s) => {
      for (let a = s; a < ACCOUNTS; a += STARTERS) await gateway.dispatch(new OpenAccount(`acc-${a}`, 1_000_000_000));
    });
    return await load(gateway, completions, starters, ms, seed);
  } finally {
    completions.close();
    await bank.close();
  }
}

/** `starters` loops requesting transfers between random distinct accounts for `ms`; figures of that load and its drain. */
async function load(gateway: CommandGateway, completions: TransferCompletions, starters: number, ms: number, seed: number): Promise<Figures> {
  const random = new SeededRandom(seed);
  const token = randomBytes(3).toString('hex');
  let started = 0;
  const first = completions.completed.length;
  const begun = performance.now();
  const until = begun + ms;
  await concurrently(starters, async (starter) => {
    for (let i = 0; performance.now() < until; i++) {
      const from = random.int(ACCOUNTS);
      const to = (from + 1 + random.int(ACCOUNTS - 1)) % ACCOUNTS;
      const transferId = `t-${token}-${starter}-${i}`;
      completions.started(transferId);
      await gateway.dispatch(new RequestTransfer(transferId, `acc-${from}`, `acc-${to}`, 1 + random.int(100)));
      completions.started(transferId);
      started++;
    }
  });
  const seconds = (performance.now() - begun) / 1000;
  const duringLoad = completions.completed.slice(first).filter((c) => c.at <= begun + seconds * 1000).length;
  const backlog = completions.outstanding;
  const incomplete = await completions.drained(DRAIN_MS);
  // A transfer still not complete counts with the time it has waited: its lag is at least that.
  const lags = [...completions.completed.slice(first).map((c) => c.at - c.started), ...completions.abandon()];
  return { started: started / seconds, completed: duringLoad / seconds, p50: percentile(lags, 50), p99: percentile(lags, 99), backlog, incomplete };
}

/**
 * The raw side: the same transfer written by hand, synchronously, by each starter: four
 * `append_events` calls (transfer requested, withdrawn, deposited, transfer completed; 'any' on
 * the account streams) and the four read-model upserts the projectors make, on one pool.
 */
async function rawTransfers(pool: pg.Pool, schema: string, starters: number, ms: number, seed: number): Promise<Figures> {
  const random = new SeededRandom(seed);
  const append = `SELECT * FROM "${schema}".append_events($1, $2, $3, NULL)`;
  const upsert = `INSERT INTO "${schema}".bench_raw_read_models (kind, id, doc) VALUES ($1, $2, $3)
    ON CONFLICT (kind, id) DO UPDATE SET doc = "${schema}".bench_raw_read_models.doc || EXCLUDED.doc`;
  const event = (eventType: string, data: object) => JSON.stringify([{ eventId: randomUUID(), eventType, data, metadata: { schemaVersion: 1 } }]);
  const durations: number[] = [];
  const begun = performance.now();
  const until = begun + ms;
  await concurrently(starters, async (starter) => {
    for (let i = 0; performance.now() < until; i++) {
      const t0 = performance.now();
      const [from, to, amount] = [`acc-${random.int(ACCOUNTS)}`, `acc-${random.int(ACCOUNTS)}`, 1 + random.int(100)];
      const transferId = `raw-${seed}-${starter}-${i}`;
      await pool.query(append, [`transfer-${transferId}`, 'no_stream', event('TransferRequested', { transferId, from, to, amount })]);
      await pool.query(upsert, ['transfer', transferId, JSON.stringify({ transferId, from, to, amount, status: 'pending' })]);
      await pool.query(append, [`account-${from}`, 'any', event('MoneyWithdrawn', { accountId: from, amount, transferId })]);
      await pool.query(upsert, ['account', from, JSON.stringify({ withdrawn: amount })]);
      await pool.query(append, [`account-${to}`, 'any', event('MoneyDeposited', { accountId: to, amount, transferId })]);
      await pool.query(upsert, ['account', to, JSON.stringify({ deposited: amount })]);
      await pool.query(append, [`transfer-${transferId}`, '1', event('TransferCompleted', { transferId })]);
      await pool.query(upsert, ['transfer', transferId, JSON.stringify({ status: 'completed' })]);
      durations.push(performance.now() - t0);
    }
  });
  const rate = durations.length / ((performance.now() - begun) / 1000);
  return { started: rate, completed: rate, p50: percentile(durations, 50), p99: percentile(durations, 99), backlog: 0, incomplete: 0 };
}

/** A mixed-load round's settings on a schema of its own. */
const mixedRound = (db: BenchDatabase, pool: pg.Pool, databaseUrl: string, ms: number, seed: number) => ({
  databaseUrl,
  pool,
  schema: db.schema(`b8_mixed_${seed}`),
  clients: MIXED_CLIENTS,
  ms,
  seed,
});

const describeMixed = (f: Figures) =>
  `accepted ${formatNumber(f.accepted)}/s (transfers ${formatNumber(f.transfers)}/s), refused ${formatNumber(f.refused)}/s, settled ${formatNumber(f.settleMs)} ms after the load`;

/** The mixed load's rows: requests accepted, mixed against deposits only, and the settle time. */
function mixedRows(ours: MixedLoadFigures[], deposits: MixedLoadFigures[], ms: number) {
  const caseName = `mixed load over HTTP, ${MIXED_CLIENTS} clients for ${formatNumber(ms / 1000, 1)} s, one bank on PostgreSQL`;
  const oursWork = `${MIXED_CLIENTS} HTTP clients of the sample bank (its own process, default pool) sending deposits, withdrawals and transfers in equal shares (seeded) between 100 open accounts for ${formatNumber(ms / 1000, 1)} s, each request after the previous answer; the \`transfer-money\` process manager moves the money. Settle: from the end of the load until every accepted transfer is completed or failed in its projection and both projections have the head`;
  const baselineWork = `the same clients and bank sending deposits only`;
  const notes = [
    `Transfers accepted per second: ${pick(ours, 'transfers')
      .map((t) => formatNumber(t))
      .join(', ')}; refused requests per second: ${pick(ours, 'refused')
      .map((r) => formatNumber(r))
      .join(', ')}.`,
  ];
  return [
    benchRow({
      scenario: 'B8',
      case: `${caseName}: requests accepted, mixed vs deposits only`,
      metric: 'requests/s',
      better: 'higher',
      ours: pick(ours, 'accepted'),
      baseline: pick(deposits, 'accepted'),
      oursWork,
      baselineWork,
      notes,
    }),
    benchRow({
      scenario: 'B8',
      case: `${caseName}: settle time after the load`,
      metric: 'ms',
      better: 'lower',
      ours: pick(ours, 'settleMs'),
      baseline: pick(deposits, 'settleMs'),
      target: { text: `≤ ${formatNumber(SETTLE_TARGET_MS)} ms`, met: (settle) => settle <= SETTLE_TARGET_MS },
      oursWork,
      baselineWork,
    }),
  ];
}

const describe = (f: Figures) =>
  `started ${formatNumber(f.started)}/s, completed ${formatNumber(f.completed)}/s during the load, lag p50 ${formatNumber(f.p50)} ms, p99 ${formatNumber(f.p99)} ms, ` +
  `${formatNumber(f.backlog)} pending at the end of the load, ${f.incomplete} not completed after the drain`;

/**
 * B8: the sample's transfer flow (process manager, two aggregates, projectors) on PostgreSQL under
 * concurrent starters: transfers started and completed per second, and the lag from a transfer's
 * acceptance to `completed` in its projection; a ramp of 2/4/8 starters, then measured rounds at 16.
 * Then the bank over HTTP under a mixed load (deposits, withdrawals, transfers) against deposits
 * only: requests accepted per second, and how long everything accepted takes to settle afterwards.
 */
export const b8Transfers: Scenario = {
  id: 'B8',
  title: `transfers through the process manager under ${STARTERS} concurrent starters, PostgreSQL`,
  run: ({ config, progress }) =>
    withDatabase(config.databaseUrl, async (db) => {
      const ms = scaled(config, LOAD_MS, 500);
      const rawSchema = await db.migratedSchema('b8_raw');
      const pool = db.pool(BENCH_POOL_SIZE);
      await pool.query(
        `CREATE TABLE "${rawSchema}".bench_raw_read_models (kind text NOT NULL, id text NOT NULL, doc jsonb NOT NULL, PRIMARY KEY (kind, id))`,
      );
      const ramp: string[] = [];
      for (const starters of RAMP) {
        const figures = await level(db, pool, config.databaseUrl, starters, ms, config.seed * 100 + starters);
        progress.line(`ramp, ${starters} starters: ${describe(figures)}`);
        ramp.push(
          `${starters} starters: started ${formatNumber(figures.started)}/s, completed ${formatNumber(figures.completed)}/s, lag p99 ${formatNumber(figures.p99)} ms`,
        );
      }
      const rounds = { warmups: 0, repeats: Math.min(config.repeats, 3) };
      const result = await compare(
        rounds,
        progress,
        {
          ours: (round) => level(db, pool, config.databaseUrl, STARTERS, ms, config.seed * 1000 + round),
          baseline: (round) => rawTransfers(pool, rawSchema, STARTERS, ms, config.seed * 1000 + round),
        },
        describe,
      );
      const mixedMs = scaled(config, MIXED_MS, 3_000);
      const mixed = await compare(
        rounds,
        progress,
        {
          ours: (round) => mixedLoadRound({ ...mixedRound(db, pool, config.databaseUrl, mixedMs, config.seed * 10 + round), mix: 'mixed' }),
          baseline: (round) => mixedLoadRound({ ...mixedRound(db, pool, config.databaseUrl, mixedMs, config.seed * 10 + round), mix: 'deposits' }),
        },
        describeMixed,
      );
      const lagTarget: Target = { text: `≤ ${LAG_P99_TARGET_MS} ms`, met: (ours) => ours <= LAG_P99_TARGET_MS };
      const caseName = `transfers through the process manager, ${STARTERS} starters for ${formatNumber(ms / 1000, 1)} s, PostgreSQL`;
      const oursWork = `${STARTERS} concurrent loops dispatching the sample's \`RequestTransfer\` between ${ACCOUNTS} open accounts (seeded) for ${formatNumber(ms / 1000, 1)} s; the \`transfer-money\` process manager withdraws, deposits and completes; \`transfer-status\` and \`account-balances\` project in SQL transactions; one application, local pubsub, pool of ${BENCH_POOL_SIZE}. Lag: from the accepted \`RequestTransfer\` to the acknowledgement of \`TransferCompleted\` by \`transfer-status\`; the round waits up to ${DRAIN_MS / 1000} s for the backlog`;
      const baselineWork = `${STARTERS} concurrent loops writing each transfer by hand, synchronously: four raw \`append_events\` calls ('any' on the account streams) and four read-model upserts per transfer, pool of ${BENCH_POOL_SIZE}; its lag is the time one transfer takes`;
      const backlogs = `Pending at the end of each measured load: ${pick(result.ours, 'backlog')
        .map((b) => formatNumber(b))
        .join(', ')}; not completed after the drain: ${pick(result.ours, 'incomplete').join(', ')}.`;
      const notes = [`Ramp before the measured rounds: ${ramp.join('; ')}.`, backlogs];
      return [
        benchRow({
          scenario: 'B8',
          case: `${caseName}: completed during the load vs started`,
          metric: 'transfers/s',
          better: 'higher',
          ours: pick(result.ours, 'completed'),
          baseline: pick(result.ours, 'started'),
          target: { text: '≥ 0.9× started', met: (completed, started) => completed >= 0.9 * started },
          oursWork,
          baselineWork: 'our own transfers started per second in the same rounds (the ratio is completed / started)',
          notes,
        }),
        benchRow({
          scenario: 'B8',
          case: `${caseName}: completed during the load vs hand-written transfers`,
          metric: 'transfers/s',
          better: 'higher',
          ours: pick(result.ours, 'completed'),
          baseline: pick(result.baseline, 'started'),
          target: atLeastTimes(0.9),
          oursWork,
          baselineWork,
        }),
        benchRow({
          scenario: 'B8',
          case: `${caseName}: started vs hand-written transfers`,
          metric: 'transfers/s',
          better: 'higher',
          ours: pick(result.ours, 'started'),
          baseline: pick(result.baseline, 'started'),
          oursWork,
          baselineWork,
        }),
        ...(['p50', 'p99'] as const).map((key) =>
          benchRow({
            scenario: 'B8',
            case: `${caseName}: completion lag`,
            metric: `${key} ms`,
            better: 'lower',
            ours: pick(result.ours, key),
            baseline: pick(result.baseline, key),
            target: key === 'p99' ? lagTarget : undefined,
            oursWork,
            baselineWork,
          }),
        ),
        ...mixedRows(mixed.ours as MixedLoadFigures[], mixed.baseline as MixedLoadFigures[], mixedMs),
      ];
    }),
};

runIfMain(import.meta.url, b8Transfers);
