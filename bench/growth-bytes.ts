import type pg from 'pg';

/** Bytes on disk per stored event (the events table and each of its indexes) and per command record. */
export type GrowthBytes = Record<string, number>;

/**
 * On-disk sizes divided by row counts: the events table with its TOAST, free-space and visibility
 * maps (`pg_table_size`), each index (`pg_relation_size`), and the commands table with its indexes
 * per recorded command.
 */
export async function bytesOnDisk(pool: pg.Pool, schema: string): Promise<GrowthBytes> {
  const { rows: counts } = await pool.query<{ events: string; commands: string }>(
    `SELECT (SELECT count(*) FROM "${schema}".events) AS events, (SELECT count(*) FROM "${schema}".commands) AS commands`,
  );
  const events = Number(counts[0].events);
  const commands = Number(counts[0].commands);
  const { rows } = await pool.query<{ name: string; bytes: string }>(
    `SELECT 'table' AS name, pg_table_size(format('%I.events', $1::text)) AS bytes
     UNION ALL
     SELECT c.relname, pg_relation_size(c.oid) FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid
      WHERE i.indrelid = format('%I.events', $1::text)::regclass
     UNION ALL
     SELECT 'command record', pg_total_relation_size(format('%I.commands', $1::text))`,
    [schema],
  );
  const bytes: GrowthBytes = {};
  for (const row of rows) bytes[row.name] = Number(row.bytes) / (row.name === 'command record' ? commands : events);
  bytes.total = rows.filter((row) => row.name !== 'command record').reduce((sum, row) => sum + Number(row.bytes), 0) / events;
  return bytes;
}
