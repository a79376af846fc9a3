import type pg from 'pg';

/** Bytes on disk per stored event (the events table and each of its indexes) and per command record. */
export type GrowthBytes = Record<string, number>;

/**
 * On-disk sizes divided by row counts: the events table with its TOAST, free-space and visibility
 * maps (`pg_table_size`), each index (`pg_relation_size`), and the commands table with its indexes
 * per recorded command; and `floor`, what the same events take with nothing but what a read of them
 * needs ({@link floorBytes}).
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
  bytes.floor = await floorBytes(pool, schema);
  return bytes;
}

/**
 * The bytes per event below which no layout of these events can go without dropping data or a
 * guarantee: a table of only the columns a read returns besides metadata (position, id, stream,
 * version, type, data, time), the same payloads, and the three unique indexes the store's checks
 * need (position, event id, stream and version), filled in position order with its indexes in
 * place as the seed fills `events`. Metadata and the causation and correlation ids are what the
 * total adds above it.
 */
async function floorBytes(pool: pg.Pool, schema: string): Promise<number> {
  const floor = `"${schema}".bytes_floor`;
  await pool.query(`DROP TABLE IF EXISTS ${floor}`);
  await pool.query(
    `CREATE TABLE ${floor} (global_position bigint PRIMARY KEY, event_id uuid NOT NULL UNIQUE, stream_id text NOT NULL,
       stream_version integer NOT NULL, event_type text NOT NULL, data jsonb NOT NULL, created_at timestamptz NOT NULL,
       UNIQUE (stream_id, stream_version))`,
  );
  try {
    await pool.query(
      `INSERT INTO ${floor} SELECT global_position, event_id, stream_id, stream_version, event_type, data, created_at
         FROM "${schema}".events ORDER BY global_position`,
    );
    await pool.query(`VACUUM ${floor}`);
    const { rows } = await pool.query<{ bytes: number }>(
      `SELECT (pg_table_size('${floor}') + pg_indexes_size('${floor}'))::float8 / greatest((SELECT count(*) FROM ${floor}), 1) AS bytes`,
    );
    return rows[0].bytes;
  } finally {
    await pool.query(`DROP TABLE ${floor}`);
  }
}
