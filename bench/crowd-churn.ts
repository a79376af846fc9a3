import { performance } from 'node:perf_hooks';
import type { MembershipTiming } from '../lib/cluster/cluster-membership.js';
import type { MemberTable } from '../lib/event-store/member-table.interface.js';
import type { BenchProgress } from './bench-progress.js';
import { percentile } from './bench-stats.js';
import { MemberCrowd } from './member-crowd.js';
import { movedFraction, ownersOf } from './placement-movement.js';
import type { SeededRandom } from './seeded-random.js';

/** The membership changes measured, in the order each round makes them. */
export const CHANGES = ['join', 'leave', 'crash'] as const;
export type Change = (typeof CHANGES)[number];

/** What one change did: the share of aggregates that changed owner, its ideal, and the ms until all members agreed. */
export interface ChangeFigures {
  moved: number;
  /** 1/N, N the larger of the member counts before and after: the share of the member that came or went. */
  ideal: number;
  agreedMs: number;
}

/** One measured round of a crowd: heartbeats in a quiet window, then one change of each kind. */
export interface ChurnRound {
  /** Heartbeats answered per second, whole crowd, in the quiet window. */
  beatsPerSecond: number;
  beatP50: number;
  beatP99: number;
  /** Membership changes the members reported in the quiet window: 0 unless one flapped. */
  spurious: number;
  changes: Record<Change, ChangeFigures>;
}

/** How a crowd is run. */
export interface ChurnPlan {
  size: number;
  label: string;
  timing: MembershipTiming;
  /** The fixed aggregate ids whose owners are compared before and after each change. */
  ids: readonly string[];
  rounds: { warmups: number; repeats: number };
  /** Quiet ms at the start of each round in which heartbeats are counted. */
  windowMs: number;
}

/** The share of aggregates a change may move: the member's own share plus two points. */
export const MOVED_MARGIN = 0.02;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percent = (fraction: number) => `${(fraction * 100).toFixed(2)} %`;

/**
 * Grows a crowd of `plan.size` members on `table`, then, each round: counts heartbeats in a quiet
 * window, and has a member join, an old one leave cleanly and another crash (stop heartbeating),
 * then a member join unmeasured to restore the size. Returns the measured rounds.
 */
export async function crowdChurn(table: MemberTable, plan: ChurnPlan, random: SeededRandom, progress: BenchProgress): Promise<ChurnRound[]> {
  const crowd = new MemberCrowd(table, plan.label, plan.timing);
  const measured: ChurnRound[] = [];
  try {
    await crowd.grow(plan.size);
    let owners = await ownersOf(plan.ids, crowd.names);
    const pick = () => crowd.names[random.int(crowd.names.length)];
    const changeOnce = async (change: Change): Promise<ChangeFigures> => {
      const before = crowd.names.length;
      const agreedMs = await (change === 'join' ? crowd.join() : change === 'leave' ? crowd.leave(pick()) : crowd.crash(pick()));
      const after = await ownersOf(plan.ids, crowd.names);
      const figures = { moved: movedFraction(owners, after), ideal: 1 / Math.max(before, crowd.names.length), agreedMs };
      owners = after;
      return figures;
    };
    for (let round = 0; round < plan.rounds.warmups + plan.rounds.repeats; round++) {
      const quiet = await quietWindow(crowd, plan.windowMs);
      const changes = {} as Record<Change, ChangeFigures>;
      for (const change of CHANGES) {
        const f = (changes[change] = await changeOnce(change));
        const met = f.moved <= f.ideal + MOVED_MARGIN ? 'met' : 'NOT MET';
        progress.line(
          `${plan.size} members, round ${round + 1}, ${change}: ${percent(f.moved)} of ${plan.ids.length} aggregates moved ` +
            `(1/N ${percent(f.ideal)}, target ≤ ${percent(f.ideal + MOVED_MARGIN)}: ${met}); all ${crowd.names.length} agreed after ${Math.round(f.agreedMs)} ms`,
        );
      }
      await changeOnce('join');
      progress.line(
        `${plan.size} members, round ${round + 1}: ${quiet.beatsPerSecond.toFixed(0)} heartbeats/s, round trip p50 ${quiet.beatP50.toFixed(1)} ms, ` +
          `p99 ${quiet.beatP99.toFixed(1)} ms; ${quiet.spurious} spurious membership changes${round < plan.rounds.warmups ? ' (warm-up)' : ''}`,
      );
      if (round >= plan.rounds.warmups) measured.push({ ...quiet, changes });
    }
    return measured;
  } finally {
    await crowd.close();
  }
}

/** Heartbeats and membership changes counted while nothing joins or leaves. */
async function quietWindow(crowd: MemberCrowd, ms: number): Promise<Omit<ChurnRound, 'changes'>> {
  const firstBeat = crowd.beats.length;
  const changes = crowd.changes;
  const started = performance.now();
  await sleep(ms);
  const beats = crowd.beats.slice(firstBeat);
  return {
    beatsPerSecond: beats.length / ((performance.now() - started) / 1000),
    beatP50: percentile(beats, 50),
    beatP99: percentile(beats, 99),
    spurious: crowd.changes - changes,
  };
}
