import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { EventStore, type SqlExecutor, Tenants } from '../../lib/index.js';
import { SAMPLE_CONFIG, type SampleConfig, servesTenants } from '../config.js';
import { SampleTables, schemaOf } from './sample-tables.js';

type Doc = Record<string, unknown>;

/**
 * The bank's read models: documents by kind and id. On SQL stores they live in a table beside
 * the events and are written through the projector's transaction, so a document and its
 * projector's checkpoint commit together; on the memory store they live in a Map per store. When the bank
 * serves tenants, each tenant's documents live beside its own events (`<schema>_<tenant>`, the
 * table created when first needed) and are read only for that tenant.
 */
@Injectable()
export class ReadModel implements OnModuleInit {
  /** On the memory store, each store's documents: a tenant's go with its store when it is removed. */
  private readonly memory = new WeakMap<EventStore, Map<string, Doc>>();
  private readonly tables = new SampleTables('kind text NOT NULL, id text NOT NULL, doc jsonb NOT NULL, PRIMARY KEY (kind, id)');

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
    private readonly tenants: Tenants,
  ) {}

  async onModuleInit(): Promise<void> {
    // With tenants, the module's own store holds only the tenant list: no documents go there.
    if (this.store.sql && !servesTenants(this.config)) await this.tables.ensureNow(this.tableOf(undefined), this.store.sql);
  }

  /**
   * One document of `tenant` (none in the single-tenant bank). Throws the library's
   * `TenantRequiredError`, `UnknownTenantError` or `InvalidIdentifierError` for a tenant the bank
   * cannot serve, as a command naming it would.
   */
  async get<T extends Doc>(kind: string, id: string, tenant?: string): Promise<T | undefined> {
    const store = await this.storeOf(tenant);
    const { sql } = store;
    if (!sql) return this.documentsOf(store).get(keyOf(kind, id)) as T | undefined;
    const table = this.tableOf(tenant);
    await this.tables.ensureNow(table, sql);
    const { rows } = await sql.query<{ doc: T }>(`SELECT doc FROM ${table} WHERE kind = $1 AND id = $2`, [kind, id]);
    return rows[0]?.doc;
  }

  /**
   * Merges each patch, in order, into its document (creating it): a projector's whole page in one
   * statement, through `sql` when given. Patches of one id are folded first (a statement may
   * touch a row once); a later key wins, as it would merged one by one. `tenant` is the one the
   * events came from (`context.tenant`).
   */
  async mergeAll(kind: string, patches: Array<[id: string, patch: Doc]>, sql?: SqlExecutor, tenant?: string): Promise<void> {
    const table = this.tableOf(tenant);
    const folded = new Map<string, Doc>();
    for (const [id, patch] of patches) folded.set(id, { ...folded.get(id), ...patch });
    if (!sql) {
      const documents = this.documentsOf(await this.storeOf(tenant));
      for (const [id, patch] of folded) documents.set(keyOf(kind, id), { ...documents.get(keyOf(kind, id)), ...patch });
      return;
    }
    if (folded.size === 0) return;
    await this.tables.write(table, sql, () =>
      sql.query(
        `INSERT INTO ${table} (kind, id, doc) SELECT $1, * FROM unnest($2::text[], $3::jsonb[])
         ON CONFLICT (kind, id) DO UPDATE SET doc = ${table}.doc || EXCLUDED.doc`,
        [kind, [...folded.keys()], [...folded.values()].map((doc) => JSON.stringify(doc))],
      ),
    );
  }

  /** The store `tenant`'s documents live in: its engine's, or the module's own without tenants. */
  private async storeOf(tenant: string | undefined): Promise<EventStore> {
    if (!servesTenants(this.config)) return this.store;
    return (await this.tenants.engine(tenant, 'a read of the bank')).store;
  }

  private documentsOf(store: EventStore): Map<string, Doc> {
    let documents = this.memory.get(store);
    if (!documents) this.memory.set(store, (documents = new Map<string, Doc>()));
    return documents;
  }

  private tableOf(tenant: string | undefined): string {
    return `"${schemaOf(this.config, tenant)}".bank_read_models`;
  }
}

/** A document's key among its store's documents. */
const keyOf = (kind: string, id: string) => `${kind}/${id}`;
