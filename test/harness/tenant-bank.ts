import type { RequestOptions } from './http-client.js';
import { withClient } from './postgres-schema.js';
import type { SampleNode } from './sample-node.js';

/** The sample bank's HTTP API as one tenant speaks it to one node: every request names it in `X-Tenant` (none when undefined). */
export function tenantBank(node: SampleNode, tenant: string | undefined) {
  const options = (extra: Record<string, string> = {}): RequestOptions => ({
    headers: { ...(tenant === undefined ? {} : { 'x-tenant': tenant }), ...extra },
  });
  return {
    post: (path: string, body?: unknown, headers?: Record<string, string>) => node.http.post(path, body, options(headers)),
    get: (path: string) => node.http.get(path, options()),
    delete: (path: string) => node.http.request('DELETE', path, undefined, options()),
  };
}

/** The schemas a tenants bank on `schema` writes: its own (the tenant list) and `<schema>_<tenant>` for each tenant. */
export const tenantSchemas = (schema: string, tenants: string[]): string[] => [schema, ...tenants.map((tenant) => `${schema}_${tenant}`)];

/** Drops every schema of {@link tenantSchemas}. */
export const dropTenantSchemas = (schema: string, tenants: string[]): Promise<void> =>
  withClient(async (client) => {
    for (const name of tenantSchemas(schema, tenants)) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  });

/** The tables of `schema` whose names start with `bank_`: the sample's read models and ledger. */
export const bankTables = (schema: string): Promise<string[]> =>
  withClient(async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 'bank\\_%' ORDER BY 1`,
      [schema],
    );
    return rows.map((row) => row.name);
  });
