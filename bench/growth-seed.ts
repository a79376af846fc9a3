import type pg from 'pg';
import { WALLET_CREDITED, WALLET_PREFIX } from './bench-domain.js';

/** Streams of a growth store: 100,000 aggregates, besides the long one. */
export const GROWTH_STREAMS = 100_000;
/** Event types of a growth store, `GrowthEvent00` … `GrowthEvent49`, spread evenly. */
export const GROWTH_TYPES = 50;
/** Events of the one long aggregate, `wallet-big`, scattered over the whole store. */
export const BIG_STREAM_EVENTS = 10_000;
/** The long aggregate's id (its stream is `wallet-big`). */
export const BIG_WALLET = 'big';
/** A command record for one event in this many: commands carrying an id (idempotent, forwarded). */
const EVENTS_PER_COMMAND_RECORD = 10;
/** Rows per INSERT: a statement per million keeps each transaction and its WAL moderate. */
const CHUNK = 1_000_000;

/** How a seeded store's event ids are made: as the library wrote them before (random) or now (time-ordered). */
export type IdLayout = 'random' | 'v7';

/** Stored type name of the k-th growth event type. */
export const growthType = (k: number): string => `GrowthEvent${String(k).padStart(2, '0')}`;

/**
 * The id of row g as SQL: random (md5 of the seed and g, as version 4 ids are) or version 7
 * (the ms timestamp grows with g, then random bits), like the library's own ids.
 */
const idSql = (layout: IdLayout): string =>
  layout === 'random'
    ? `md5($3 || ':' || g)::uuid`
    : `(lpad(to_hex(1765000000000 + g), 12, '0') || '7' || substr(md5($3 || ':' || g), 1, 3) || '8' || substr(md5($3 || ':' || g), 4, 15))::uuid`;

/**
 * Rows `from`..`to` of an `events`-row store. Row g is the long stream's when g is a multiple of
 * `step` (N / 10,000), else it goes round-robin over the 100,000 streams (r = its rank among the
 * others), so both the long stream and every other stream are scattered over the whole table, as
 * in a store that lived for years. Types rotate with stream and version. Data, metadata and
 * causation/correlation ids are what a dispatched command's event carries: a command id in the
 * metadata, and both ids equal to it.
 */
const eventsSql = (s: string, layout: IdLayout): string => `
  INSERT INTO ${s}.events (global_position, event_id, stream_id, stream_version, event_type, data, metadata, causation_id, correlation_id)
  SELECT g, ${idSql(layout)},
         CASE WHEN big THEN $4 || '${BIG_WALLET}' ELSE $4 || 'g' || (r % ${GROWTH_STREAMS}) END,
         CASE WHEN big THEN g / $5 ELSE r / ${GROWTH_STREAMS} + 1 END,
         CASE WHEN big THEN '${WALLET_CREDITED}' ELSE 'GrowthEvent' || lpad(((r / ${GROWTH_STREAMS} + r % ${GROWTH_STREAMS}) % ${GROWTH_TYPES})::text, 2, '0') END,
         jsonb_build_object('walletId', CASE WHEN big THEN '${BIG_WALLET}' ELSE 'g' || (r % ${GROWTH_STREAMS}) END, 'amount', amount, 'balance', amount * 3),
         jsonb_build_object('commandId', command_id, 'schemaVersion', 1), command_id, command_id
    FROM (SELECT g, g % $5 = 0 AS big, g - g / $5 - 1 AS r, 1 + (hashint8(g) & 1023) AS amount,
                 md5('c' || $3 || ':' || g)::uuid::text AS command_id
            FROM generate_series($1::bigint, $2::bigint) AS g) AS x`;

/** One command record per 10 events, keyed by the event's command id (random, like clients' keys). */
const commandsSql = (s: string): string => `
  INSERT INTO ${s}.commands (command_id, stream_id, command_type, payload_hash, first_version, last_version, global_position)
  SELECT md5('c' || $3 || ':' || e.global_position)::uuid::text, e.stream_id, 'CreditWallet',
         encode(sha256(e.global_position::text::bytea), 'base64'), e.stream_version, e.stream_version, e.global_position
    FROM ${s}.events AS e
   WHERE e.global_position BETWEEN $1 AND $2 AND e.global_position % ${EVENTS_PER_COMMAND_RECORD} = 0`;

/** Events already in a growth store (0 for a fresh one). */
export async function storedEvents(pool: pg.Pool, schema: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT coalesce(max(global_position), 0) AS n FROM "${schema}".events`);
  return Number(rows[0].n);
}

/**
 * Fills a migrated, empty store schema with `events` events in set-based statements (not through
 * the library), indexes in place so they grow as they would in use, then VACUUM ANALYZE as
 * autovacuum would have long done. `progress` hears each million.
 */
export async function seedGrowthStore(pool: pg.Pool, schema: string, events: number, layout: IdLayout, progress: (done: number) => void) {
  const s = `"${schema}"`;
  const step = Math.max(2, Math.floor(events / BIG_STREAM_EVENTS));
  for (let from = 1; from <= events; from += CHUNK) {
    const to = Math.min(events, from + CHUNK - 1);
    await pool.query(eventsSql(s, layout), [from, to, 'growth', WALLET_PREFIX, step]);
    await pool.query(commandsSql(s), [from, to, 'growth']);
    progress(to);
  }
  await pool.query(`SELECT setval('${s}.global_position_seq', $1)`, [events]);
  await pool.query(`VACUUM (ANALYZE) ${s}.events`);
  await pool.query(`VACUUM (ANALYZE) ${s}.commands`);
}
