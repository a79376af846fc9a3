import { withDatabase } from '../../bench/bench-postgres.js';
import { BIG_STREAM_EVENTS, GROWTH_TYPES, type IdLayout, seedGrowthStore } from '../../bench/growth-seed.js';
import { growthRows, atLeastOfReference } from '../../bench/growth-rows.js';
import { sizeLabel } from '../../bench/growth-settings.js';

const URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const EVENTS = 40_000;

interface Shape {
  events: string;
  streams: string;
  gapped_streams: string;
  big: string;
  min_type: string;
  max_type: string;
  types: string;
  ids_in_position_order: boolean;
  commands: string;
}

async function seededShape(layout: IdLayout): Promise<Shape> {
  return withDatabase(URL, async (db) => {
    const schema = await db.migratedSchema(`growth_${layout}`);
    const pool = db.pool(1);
    await seedGrowthStore(pool, schema, EVENTS, layout, () => undefined);
    const s = `"${schema}"`;
    const { rows } = await pool.query<Shape>(`
      WITH per_stream AS (SELECT stream_id, count(*) AS n, max(stream_version) AS top, min(stream_version) AS bottom FROM ${s}.events GROUP BY stream_id),
           per_type AS (SELECT event_type, count(*) AS n FROM ${s}.events WHERE event_type LIKE 'GrowthEvent%' GROUP BY event_type)
      SELECT (SELECT count(*) FROM ${s}.events) AS events,
             (SELECT count(*) FROM per_stream) AS streams,
             (SELECT count(*) FROM per_stream WHERE n <> top OR bottom <> 1) AS gapped_streams,
             (SELECT n FROM per_stream WHERE stream_id = 'wallet-big') AS big,
             (SELECT min(n) FROM per_type) AS min_type, (SELECT max(n) FROM per_type) AS max_type, (SELECT count(*) FROM per_type) AS types,
             (SELECT bool_and(ordered) FROM (SELECT event_id > lag(event_id) OVER (ORDER BY global_position) IS NOT FALSE AS ordered FROM ${s}.events) AS o) AS ids_in_position_order,
             (SELECT count(*) FROM ${s}.commands) AS commands`);
    return rows[0];
  });
}

describe('B12 growth store seed', () => {
  it('scatters one long stream and round-robin streams over the table, versions without gaps, types evenly, v7 ids in position order', async () => {
    const shape = await seededShape('v7');
    expect(Number(shape.events)).toBe(EVENTS);
    expect(Number(shape.big)).toBe(BIG_STREAM_EVENTS);
    expect(Number(shape.streams)).toBe(EVENTS - BIG_STREAM_EVENTS + 1);
    expect(Number(shape.gapped_streams)).toBe(0);
    expect(Number(shape.types)).toBe(GROWTH_TYPES);
    expect(Number(shape.max_type) - Number(shape.min_type)).toBeLessThanOrEqual(1);
    expect(shape.ids_in_position_order).toBe(true);
    expect(Number(shape.commands)).toBe(EVENTS / 10);
  });

  it('gives random ids in the random layout', async () => {
    expect((await seededShape('random')).ids_in_position_order).toBe(false);
  });
});

describe('B12 rows', () => {
  it('compares each size with the smallest and judges only the largest', () => {
    const values = new Map([
      [1_000_000, [100, 110, 90]],
      [10_000_000, [95]],
      [30_000_000, [70, 80, 75]],
    ]);
    const rows = growthRows({ case: 'c', metric: 'events/s', better: 'higher', work: 'w', target: atLeastOfReference(0.8, 1_000_000) }, values);
    expect(rows.map((row) => [row.case, row.ratio, row.met])).toEqual([
      ['c, 1m-event store', 1, undefined],
      ['c, 10m-event store', 0.95, undefined],
      ['c, 30m-event store', 0.75, false],
    ]);
    expect(rows[2].target).toBe('≥ 0.8× at 1m');
    expect(sizeLabel(100_000)).toBe('100k');
  });
});
