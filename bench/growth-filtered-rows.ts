import { type BenchRow, atMostTimes, type Target } from './bench-result.js';
import { formatNumber } from './bench-progress.js';
import { median } from './bench-stats.js';
import { loadBetween } from './database-load.js';
import {
  FILTERED_LOAD_PACE,
  FILTERED_LOAD_PROJECTORS,
  type FilteredLoadFigures,
  loadValues,
  MANY_PROJECTORS,
  ONE_PROJECTOR,
} from './growth-filtered-load.js';
import { againstRawRows, type GrowthValues } from './growth-rows.js';
import { GROWTH_TYPES } from './growth-seed.js';

const [ONE, MANY] = [ONE_PROJECTOR, MANY_PROJECTORS];
/** The database load 30 filtered projectors may put on it, in units of one's. */
const LOAD_TARGET = atMostTimes(2, '1 projector');

/**
 * One round's values by name: each run's figures (`filtered <projectors> <figure>`), checkpoints
 * per projector, and what the projectors added to the appends alone (`filtered <projectors> added <counter>`).
 */
export function filteredRoundValues(runs: Map<number, FilteredLoadFigures>): Record<string, number> {
  const none = runs.get(0);
  const values: Record<string, number> = {};
  for (const [projectors, figures] of runs) {
    for (const [name, value] of Object.entries(loadValues(figures))) values[`filtered ${projectors} ${name}`] = value;
    if (!projectors) continue;
    values[`filtered ${projectors} checkpoints per projector`] = figures.checkpoints / projectors;
    if (!none) continue;
    const added: Record<string, number> = { ...loadBetween(none.load, figures.load) };
    for (const [name, value] of Object.entries(added)) values[`filtered ${projectors} added ${name}`] = value;
  }
  return values;
}

/** What one compared counter is. */
interface Counter {
  name: string;
  metric: string;
  what: string;
  target?: Target;
}

const COUNTERS: Counter[] = [
  {
    name: 'buffers',
    metric: 'buffers',
    what: '`blks_hit + blks_read` of `pg_stat_database`: shared buffers looked up by every statement, reads and writes alike',
    target: LOAD_TARGET,
  },
  {
    name: 'transactions',
    metric: 'transactions',
    what: '`xact_commit + xact_rollback`: transactions the server ended, an autocommitted statement being one',
  },
  { name: 'rows', metric: 'rows', what: '`tup_returned + tup_fetched`: index entries and rows scans returned, heap rows index scans fetched' },
  { name: 'activeMs', metric: 'ms', what: '`active_time`: ms backends spent running statements (waiting for a core included)' },
  { name: 'statements', metric: 'statements', what: '`pg_stat_statements` calls' },
];

/** Rows of B12's filtered-load part: the load of 30 filtered projectors against one's, per store size. */
export function filteredLoadRows(values: GrowthValues): BenchRow[] {
  const compared = (counter: Counter, added: boolean): BenchRow[] => {
    const name = added ? `added ${counter.name}` : counter.name;
    const what = added ? `${counter.what}, minus the same appends with no projector` : counter.what;
    return againstRawRows(
      {
        case: `${added ? 'database load the projectors add to the appends' : 'database load of a live workload'}: ${counter.metric}, ${MANY} filtered projectors vs ${ONE}`,
        metric: counter.metric,
        better: 'lower',
        work: `${workload(values)}, ${MANY} projectors: ${what}; ${MEASURED}`,
        baselineWork: `the same with ${ONE} projector (type 0), in the same round`,
        target: added ? undefined : counter.target,
      },
      values.get(`filtered ${MANY} ${name}`),
      values.get(`filtered ${ONE} ${name}`),
    );
  };
  const [headline, ...others] = COUNTERS;
  const sizes = [...values.get(`filtered ${MANY} buffers`).keys()].sort((a, b) => a - b);
  return [
    ...compared(headline, false).map((row, i) => ({ ...row, notes: headlineNotes(values, sizes[i]) })),
    ...others.flatMap((counter) => compared(counter, false)),
    ...COUNTERS.slice(0, 2).flatMap((counter) => compared(counter, true)),
    ...againstRawRows(
      {
        case: `checkpoint moves per projector, ${MANY} filtered projectors vs ${ONE}`,
        metric: 'checkpoints',
        better: 'lower',
        work: "the same runs: acks on the pubsub during the workload over the projectors; each is a read that found the head moved and a checkpoint write, so ≈ 1× means no projector was woken by the others' types",
        baselineWork: `the same with ${ONE} projector`,
      },
      values.get(`filtered ${MANY} checkpoints per projector`),
      values.get(`filtered ${ONE} checkpoints per projector`),
    ),
  ];
}

const MEASURED =
  "the bench database's counters, read from another database while none of the app's sessions is open, from before its start to after its close, " +
  'minus the same app started and closed without the workload (a start and a stop), in the same round';

function workload(values: GrowthValues): string {
  const appends = [...values.get(`filtered ${ONE} appends`).values()][0]?.[0] ?? 0;
  return (
    `${formatNumber(appends)} appends of 1 event, each opening a stream of its own, one after another at up to ${FILTERED_LOAD_PACE}/s, the type going round the ${GROWTH_TYPES} growth types, ` +
    'through an app whose `@Projector`s each have one `@On` (the j-th for type j, from the store end), until all acknowledged the last position'
  );
}

/** The appends alone, the pace reached, and other sessions' work, at one size. */
function headlineNotes(values: GrowthValues, size: number): string[] {
  const at = (name: string) => values.get(`filtered ${name}`).get(size) ?? [];
  const rates = FILTERED_LOAD_PROJECTORS.flatMap((projectors) => at(`${projectors} rate`));
  const others = FILTERED_LOAD_PROJECTORS.flatMap((projectors) => at(`${projectors} others`)).reduce((sum, n) => sum + n, 0);
  const notes = [
    `The same appends with no projector: ${formatNumber(median(at('0 buffers')))} buffers, ${formatNumber(median(at('0 transactions')))} transactions (medians).`,
    `Appends reached ${formatNumber(Math.min(...rates))}–${formatNumber(Math.max(...rates))}/s.`,
  ];
  if (others) notes.push(`${others} other sessions ran statements in the database during the runs: their work is in the counters.`);
  return notes;
}
