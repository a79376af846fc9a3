import type { BenchRow } from './bench-result.js';
import { atMostTimes } from './bench-result.js';
import { filteredLoadRows } from './growth-filtered-rows.js';
import { OTHER_LIVE_SUBSCRIPTIONS } from './growth-live.js';
import { againstRawRows, atLeastOfReference, atMost, type GrowthMetric, growthRows, type GrowthValues } from './growth-rows.js';
import { GROWTH_STREAMS, GROWTH_TYPES, growthType } from './growth-seed.js';
import { type GrowthSettings, sizeLabel } from './growth-settings.js';

/** Bytes per event on disk the store should stay within. */
const BYTES_PER_EVENT_TARGET = 250;

/** The rows of B12 from the measured values (metric names as `b12-growth.ts` adds them). */
export function growthDescription(settings: GrowthSettings, values: GrowthValues): BenchRow[] {
  const reference = settings.sizes[0];
  const window = Number.isFinite(settings.catchUpWindow)
    ? `positions 1..${sizeLabel(settings.catchUpWindow)} (or the whole store when smaller)`
    : 'every event of the store';
  const store = `a store seeded in SQL over ${GROWTH_STREAMS.toLocaleString('en-US')} streams and ${GROWTH_TYPES} event types (${settings.ids} event ids), the events of each stream scattered over the table`;
  const append =
    "B1's shape: 16 writers, each on a new stream of its own, appending 1 event at a time with the exact expected version through `EventStore.appendToStream` (pool of 16)";
  const catchUp = (handles: string) =>
    `a new application's \`@Projector\` with ${handles}, catching up from position 0 over ${window}; timed from the end of init to its first ack at or past the window's end`;
  const rateRows = (name: string, metric: Omit<GrowthMetric, 'metric' | 'better'>, unit: string, better: 'higher' | 'lower') =>
    growthRows({ ...metric, metric: unit, better, work: `${metric.work}, in ${store}` }, values.get(name));
  const rows: BenchRow[] = [
    ...rateRows(
      'append rate',
      { case: 'append 1 event, 16 writers', work: append, target: atLeastOfReference(0.8, reference) },
      'events/s',
      'higher',
    ),
    ...rateRows('append p50', { case: 'append 1 event, 16 writers', work: append }, 'p50 ms', 'lower'),
    ...rateRows('append p99', { case: 'append 1 event, 16 writers', work: append }, 'p99 ms', 'lower'),
    ...rateRows(
      'load',
      {
        case: 'load an aggregate of 10,000 events, no snapshot',
        work: 'a `LookAtWallet` dispatch to the `wallet-big` aggregate (its 10,000+ credits spread over the whole table) after releasing its instance: median of 5 loads per repeat',
      },
      'ms',
      'lower',
    ),
    ...rateRows(
      'load snapshot',
      { case: 'load the same aggregate from its snapshot', work: 'the same with `snapshotEvery: 1`: the snapshot and no event after it' },
      'ms',
      'lower',
    ),
    ...rateRows(
      'catch-up all',
      {
        case: 'catch-up, projector handling every type',
        work: catchUp(`an \`@On\` method for each of the ${GROWTH_TYPES + 1} stored types`),
        target: atLeastOfReference(0.8, reference),
      },
      'events/s',
      'higher',
    ),
    ...rateRows(
      'one rate',
      { case: `catch-up, projector handling 1 type of ${GROWTH_TYPES}`, work: catchUp(`one \`@On(${growthType(0)})\` method (2% of the events)`) },
      'positions/s',
      'higher',
    ),
    ...againstRawRows(
      {
        case: `catch-up time, projector handling 1 type of ${GROWTH_TYPES}, vs a raw filtered read`,
        metric: 's',
        better: 'lower',
        work: catchUp(`one \`@On(${growthType(0)})\` method`),
        baselineWork: `raw \`pg\` keyset pages \`SELECT * FROM events WHERE global_position > $1 AND event_type = '${growthType(0)}' ORDER BY global_position LIMIT 500\` on one connection until a page reaches the window's end (or the table's), in the same run`,
        target: atMostTimes(1.5),
      },
      values.get('one seconds'),
      values.get('raw seconds'),
    ),
    ...againstRawRows(
      {
        case: `rows read from the events table, projector handling 1 type of ${GROWTH_TYPES}, vs the raw filtered read`,
        metric: 'rows',
        better: 'lower',
        work: "the same catch-up: the events table's `seq_tup_read + idx_tup_fetch` in `pg_stat_user_tables`, after minus before (nothing else reads the schema meanwhile)",
        baselineWork:
          'the same counters around the raw filtered read (the filter applies after the rows are fetched, as no index covers `event_type`)',
      },
      values.get('one rows'),
      values.get('raw rows'),
    ),
    ...rateRows('live p50', { case: `live subscription with ${OTHER_LIVE_SUBSCRIPTIONS} others running`, work: liveWork() }, 'p50 ms', 'lower'),
    ...rateRows('live p99', { case: `live subscription with ${OTHER_LIVE_SUBSCRIPTIONS} others running`, work: liveWork() }, 'p99 ms', 'lower'),
    ...filteredLoadRows(values),
  ];
  for (const name of values.names().filter((n) => n.startsWith('bytes '))) {
    const part = name.slice('bytes '.length);
    rows.push(...rateRows(name, bytesMetric(part), 'bytes', 'lower'));
  }
  return rows;
}

function liveWork(): string {
  return `one \`@Projector({ startFrom: 'current' })\` on ${growthType(0)} among ${OTHER_LIVE_SUBSCRIPTIONS} others on the same type, all running; 200 appends of one event one after another, each waiting for the measured handler: ms from the \`appendToStream\` call to the handler (the first 10 left out)`;
}

/** What a bytes row divides: the events table, one index, all of them, or the command records. */
function bytesMetric(part: string): Omit<GrowthMetric, 'metric' | 'better'> {
  if (part === 'command record') {
    return {
      case: 'bytes on disk per command record',
      work: '`pg_total_relation_size` of `commands` (table and indexes) over its rows (1 per 10 seeded events)',
    };
  }
  if (part === 'floor') {
    return {
      case: 'bytes on disk per event: the floor, the same events with only what a read of them needs',
      work: "a table of the events' position, id, stream, version, type, data and time (no metadata, causation or correlation id) with the three unique indexes (position, event id, stream and version), filled in position order with its indexes in place: `pg_table_size` plus `pg_indexes_size` over its rows",
    };
  }
  if (part === 'total') {
    return {
      case: 'bytes on disk per event: table and indexes',
      work: "`pg_table_size` of `events` plus `pg_relation_size` of each of its indexes, over the events' count",
      target: atMost(BYTES_PER_EVENT_TARGET, 'B'),
    };
  }
  const what =
    part === 'table' ? '`pg_table_size` of `events` (heap, TOAST, free-space and visibility maps)' : `\`pg_relation_size\` of index \`${part}\``;
  return { case: `bytes on disk per event: ${part}`, work: `${what} over the events' count` };
}
