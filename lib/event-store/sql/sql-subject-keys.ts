import { newSubjectKey } from '../sealed-value.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { SubjectKeys } from '../subject-keys.interface.js';
import type { SqlSchema } from './sql-schema.js';

interface KeyRow {
  subject_id: string;
  key: string | null;
}

/**
 * Subject keys in the `subject_keys` table (migration 12). Keys cross the driver as base64 text,
 * the same on `pg` and PGlite. A first use inserts a new key and ignores a conflict, then reads:
 * the read is a statement of its own, so it sees whichever concurrent insert won, and every
 * process ends with that one key.
 */
export class SqlSubjectKeys implements SubjectKeys {
  private readonly table: string;

  constructor(
    private readonly sql: SqlExecutor,
    schema: SqlSchema,
  ) {
    this.table = `${schema.quoted}.subject_keys`;
  }

  async keysFor(subjectIds: readonly string[], create: boolean): Promise<Map<string, Buffer | null>> {
    const found = new Map<string, Buffer | null>();
    if (subjectIds.length === 0) return found;
    if (create) {
      const keys = subjectIds.map(() => newSubjectKey().toString('base64'));
      await this.sql.query(
        `INSERT INTO ${this.table} (subject_id, key)
         SELECT s, decode(k, 'base64') FROM unnest($1::text[], $2::text[]) AS t(s, k)
         ON CONFLICT (subject_id) DO NOTHING`,
        [subjectIds, keys],
      );
    }
    const { rows } = await this.sql.query<KeyRow>(
      `SELECT subject_id, encode(key, 'base64') AS key FROM ${this.table} WHERE subject_id = ANY($1::text[])`,
      [subjectIds],
    );
    for (const row of rows) found.set(row.subject_id, row.key === null ? null : Buffer.from(row.key, 'base64'));
    return found;
  }

  async forget(subjectId: string): Promise<boolean> {
    // The row as it was, read in the statement that forgets it: true only for the call that destroyed a key.
    const { rows } = await this.sql.query<{ destroyed: boolean }>(
      `WITH before AS (SELECT key IS NOT NULL AS destroyed FROM ${this.table} WHERE subject_id = $1 FOR UPDATE),
            forgotten AS (
              INSERT INTO ${this.table} (subject_id, key, forgotten_at) VALUES ($1, NULL, now())
              ON CONFLICT (subject_id) DO UPDATE SET key = NULL, forgotten_at = coalesce(${this.table}.forgotten_at, now()))
       SELECT coalesce((SELECT destroyed FROM before), false) AS destroyed`,
      [subjectId],
    );
    return rows[0].destroyed;
  }

  async isForgotten(subjectId: string): Promise<boolean> {
    const { rows } = await this.sql.query(`SELECT 1 FROM ${this.table} WHERE subject_id = $1 AND key IS NULL`, [subjectId]);
    return rows.length > 0;
  }
}
