import type { MemberRecord, MemberStatus, MemberTable } from '../member-table.interface.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { SqlSchema } from './sql-schema.js';

interface MemberRow {
  name: string;
  host: string;
  port: number;
  started_at: Date | string;
}

/** Cluster members in the `cluster_members` table (migration 3); liveness by the database's clock. */
export class SqlMemberTable implements MemberTable {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly schema: SqlSchema,
  ) {}

  async heartbeat(member: MemberRecord, timeoutMs: number): Promise<MemberRecord[]> {
    const table = `${this.schema.quoted}.cluster_members`;
    // One statement: the upsert and the read see the same clock, and a round trip is saved.
    const { rows } = await this.sql.query<MemberRow>(
      `WITH beat AS (
         INSERT INTO ${table} (name, host, port, started_at, heartbeat_at)
         VALUES ($1, $2, $3, to_timestamp($4::double precision / 1000), clock_timestamp())
         ON CONFLICT (name) DO UPDATE SET host = EXCLUDED.host, port = EXCLUDED.port,
           started_at = EXCLUDED.started_at, heartbeat_at = EXCLUDED.heartbeat_at)
       SELECT name, host, port, started_at FROM ${table}
        WHERE heartbeat_at > clock_timestamp() - make_interval(secs => $5::double precision / 1000) AND name <> $1`,
      [member.name, member.host, member.port, member.startedAt, timeoutMs],
    );
    const others = rows.map((row) => ({ name: row.name, host: row.host, port: Number(row.port), startedAt: new Date(row.started_at).getTime() }));
    return [member, ...others];
  }

  async leave(name: string): Promise<void> {
    await this.sql.query(`DELETE FROM ${this.schema.quoted}.cluster_members WHERE name = $1`, [name]);
  }

  async list(): Promise<MemberStatus[]> {
    const { rows } = await this.sql.query<MemberRow & { age_ms: string | number }>(
      `SELECT name, host, port, started_at, extract(epoch FROM clock_timestamp() - heartbeat_at) * 1000 AS age_ms
         FROM ${this.schema.quoted}.cluster_members ORDER BY name`,
    );
    return rows.map((row) => ({
      name: row.name,
      host: row.host,
      port: Number(row.port),
      startedAt: new Date(row.started_at).getTime(),
      heartbeatAgeMs: Math.max(0, Math.round(Number(row.age_ms))),
    }));
  }
}
