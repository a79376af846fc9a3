import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { EventStore, type SqlExecutor } from '../../lib/index.js';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';

type Doc = Record<string, unknown>;

/**
 * The bank's read models: documents by kind and id. On SQL stores they live in a table beside
 * the events and are written through the projector's transaction, so a document and its
 * projector's checkpoint commit together; on the memory store they live in a Map.
 */
@Injectable()
export class ReadModel implements OnModuleInit {
  private readonly memory = new Map<string, Doc>();
  private readonly table: string;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(SAMPLE_CONFIG) config: SampleConfig,
  ) {
    this.table = `"${config.schema}".bank_read_models`;
  }

  async onModuleInit(): Promise<void> {
    // Nodes starting together would race on CREATE TABLE IF NOT EXISTS; one lock, one statement.
    await this.store.sql?.query(
      `DO $$ BEGIN
         PERFORM pg_advisory_xact_lock(hashtext('${this.table}'));
         CREATE TABLE IF NOT EXISTS ${this.table} (kind text NOT NULL, id text NOT NULL, doc jsonb NOT NULL, PRIMARY KEY (kind, id));
       END $$`,
    );
  }

  async get<T extends Doc>(kind: string, id: string): Promise<T | undefined> {
    if (!this.store.sql) return this.memory.get(`${kind}/${id}`) as T | undefined;
    const { rows } = await this.store.sql.query<{ doc: T }>(`SELECT doc FROM ${this.table} WHERE kind = $1 AND id = $2`, [kind, id]);
    return rows[0]?.doc;
  }

  /**
   * Merges each patch, in order, into its document (creating it): a projector's whole page in one
   * statement, through `sql` when given. Patches of one id are folded first (a statement may
   * touch a row once); a later key wins, as it would merged one by one.
   */
  async mergeAll(kind: string, patches: Array<[id: string, patch: Doc]>, sql?: SqlExecutor): Promise<void> {
    const folded = new Map<string, Doc>();
    for (const [id, patch] of patches) folded.set(id, { ...folded.get(id), ...patch });
    if (!sql) {
      for (const [id, patch] of folded) this.memory.set(`${kind}/${id}`, { ...this.memory.get(`${kind}/${id}`), ...patch });
      return;
    }
    if (folded.size === 0) return;
    await sql.query(
      `INSERT INTO ${this.table} (kind, id, doc) SELECT $1, * FROM unnest($2::text[], $3::jsonb[])
       ON CONFLICT (kind, id) DO UPDATE SET doc = ${this.table}.doc || EXCLUDED.doc`,
      [kind, [...folded.keys()], [...folded.values()].map((doc) => JSON.stringify(doc))],
    );
  }
}
