import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CLUSTER_DEFAULTS } from '../lib/cluster/cluster.settings.js';
import { scaled } from './bench-config.js';
import { WALLET_PREFIX } from './bench-domain.js';
import { withDatabase } from './bench-postgres.js';
import { atLeastTimes, atMostPlus, benchRow, type BenchRow, type Target } from './bench-result.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { type Change, CHANGES, type ChurnRound, crowdChurn, MOVED_MARGIN } from './crowd-churn.js';
import { SeededRandom } from './seeded-random.js';

/** Cluster sizes measured, against the three members B9 runs. */
const SIZES = [50, 100];
const BASE_SIZE = 3;
const AGGREGATES = 100_000;
const WINDOW_MS = 2_000;
const TIMING = { heartbeatInterval: CLUSTER_DEFAULTS.heartbeatInterval, nodeTimeout: CLUSTER_DEFAULTS.nodeTimeout };

const what: Record<Change, string> = {
  join: 'a member joins',
  leave: 'a member leaves cleanly',
  crash: 'a member crashes (stops heartbeating)',
};

const movedTarget: Target = {
  text: `≤ 1/N + ${MOVED_MARGIN * 100} points`,
  met: (ours, ideal) => ours <= ideal + MOVED_MARGIN * 100,
};

/** Rows of one cluster size against the ideal placement, the nominal heartbeat rate and the 3-member cluster. */
function sizeRows(size: number, ours: ChurnRound[], base: ChurnRound[], ids: number): BenchRow[] {
  const crowd = (n: number) =>
    `${n} \`ClusterMembership\`s in one process heartbeating (every ${TIMING.heartbeatInterval} ms, nodeTimeout ${TIMING.nodeTimeout} ms) into one PostgreSQL \`cluster_members\` table through one pool, no TCP links`;
  const rows = CHANGES.flatMap((change): BenchRow[] => {
    const moved = ours.map((round) => round.changes[change].moved * 100);
    const worst = Math.max(...ours.map((round) => round.changes[change].moved - round.changes[change].ideal)) * 100;
    return [
      benchRow({
        scenario: 'B13',
        case: `${size} members: ${what[change]}`,
        metric: '% of aggregates moved',
        better: 'lower',
        ours: moved,
        baseline: ours.map((round) => round.changes[change].ideal * 100),
        target: movedTarget,
        oursWork: `${crowd(size)}; share of ${ids} fixed aggregate ids whose rendezvous owner differs between the agreed member lists before and after the change`,
        baselineWork: `1/N, N the larger member count before and after: the share of the member that came or went (computed, not measured)`,
        notes: [`Worst single change: ${worst >= 0 ? '+' : ''}${worst.toFixed(2)} points against 1/N.`],
      }),
      benchRow({
        scenario: 'B13',
        case: `${size} members vs ${BASE_SIZE}: ${what[change]}`,
        metric: 'ms until all agree',
        better: 'lower',
        ours: ours.map((round) => round.changes[change].agreedMs),
        baseline: base.map((round) => round.changes[change].agreedMs),
        target: atMostPlus(TIMING.heartbeatInterval, 'ms'),
        oursWork: `${crowd(size)}; ms from the change until every live member lists exactly the live members`,
        baselineWork: `the same with ${crowd(BASE_SIZE).replace(/^\d+ /, '')}`,
        notes:
          change === 'leave'
            ? ['A node also announces its leave over TCP, which peers act on at once; this is the path through the table, for a peer that missed it.']
            : [],
      }),
    ];
  });
  const spurious = ours.reduce((sum, round) => sum + round.spurious, 0);
  rows.push(
    benchRow({
      scenario: 'B13',
      case: `${size} members: heartbeats of the whole cluster`,
      metric: 'writes/s',
      better: 'higher',
      ours: ours.map((round) => round.beatsPerSecond),
      baseline: ours.map(() => size * (1000 / TIMING.heartbeatInterval)),
      target: atLeastTimes(0.9),
      oursWork: `${crowd(size)}; heartbeat statements (upsert and read of the live members) answered per second in a quiet ${WINDOW_MS} ms window`,
      baselineWork: `${size} × one per ${TIMING.heartbeatInterval} ms, the configured rate (computed, not measured)`,
      notes: [
        `Heartbeat round trip p99 per repeat: ${ours.map((round) => round.beatP99.toFixed(1)).join(', ')} ms; ${spurious} membership changes reported in the quiet windows.`,
      ],
    }),
  );
  return rows;
}

/**
 * B13, cluster membership at scale: 50 and 100 members in one process over the real membership
 * code and PostgreSQL; for joins, clean leaves and crashes, the share of aggregates that change
 * owner, the time until every member agrees, and the heartbeat load.
 */
export const b13ClusterScale: Scenario = {
  id: 'B13',
  title: 'cluster membership at 50 and 100 members: aggregates moved per change, time to agree, heartbeat writes (PostgreSQL)',
  run: ({ config, progress }) =>
    withDatabase(config.databaseUrl, async (db) => {
      // Each of a hundred members in this process would log every change with the whole member list.
      Logger.overrideLogger(['error', 'warn']);
      const token = randomBytes(4).toString('hex');
      const count = scaled(config, AGGREGATES, 10_000);
      const ids = Array.from({ length: count }, (_, i) => `${WALLET_PREFIX}${token}-${i}`);
      const rounds = { warmups: config.warmups, repeats: config.repeats };
      const random = new SeededRandom(config.seed);
      const churn = async (size: number) => {
        const { store } = await db.openStore(`b13_${size}`);
        try {
          progress.line(`${size} members: growing, then ${rounds.warmups} + ${rounds.repeats} rounds of join, leave, crash`);
          return await crowdChurn(
            store.members!,
            { size, label: `b13-${size}-${token}`, timing: TIMING, ids, rounds, windowMs: WINDOW_MS },
            random,
            progress,
          );
        } finally {
          await store.close();
        }
      };
      const base = await churn(BASE_SIZE);
      const rows: BenchRow[] = [];
      for (const size of SIZES) rows.push(...sizeRows(size, await churn(size), base, count));
      return rows;
    }),
};

runIfMain(import.meta.url, b13ClusterScale);
