import type pg from 'pg';
import { WALLET_CREDITED, WALLET_PREFIX } from './bench-domain.js';

/** Events per stream of a seeded backlog. */
export const EVENTS_PER_STREAM = 100;

/**
 * Fills a migrated store schema with `events` credits, round-robin over `events / 100` wallet
 * streams, in a few set-based statements instead of through the library, so seeding a million
 * events takes seconds. Amounts and event ids derive from `seed`: the same backlog every run.
 */
export async function seedBacklog(pool: pg.Pool, schema: string, events: number, seed: number): Promise<void> {
  const streams = Math.max(1, Math.floor(events / EVENTS_PER_STREAM));
  const s = `"${schema}"`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT setseed($1)', [(seed % 1000) / 1000]);
    await client.query(
      `INSERT INTO ${s}.events (global_position, event_id, stream_id, stream_version, event_type, data, metadata)
       SELECT g, md5($3 || ':' || g)::uuid, $4 || 'w' || ((g - 1) % $2), ((g - 1) / $2) + 1, $5,
              jsonb_build_object('walletId', 'w' || ((g - 1) % $2), 'amount', amount, 'balance', amount), '{"schemaVersion": 1}'
         FROM (SELECT g, 1 + floor(random() * 1000)::int AS amount FROM generate_series(1, $1::bigint) AS g) AS x`,
      [events, streams, String(seed), WALLET_PREFIX, WALLET_CREDITED],
    );
    await client.query(`SELECT setval('${s}.global_position_seq', $1)`, [events]);
    await client.query('COMMIT');
    // Hint bits and the visibility map set now, so no side pays for them on its first read.
    await client.query(`VACUUM (ANALYZE) ${s}.events`);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
