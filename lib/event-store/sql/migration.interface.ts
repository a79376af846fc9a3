import type { SqlSchema } from './sql-schema.js';

/** One schema change; applied once per schema, in version order, never edited after release. */
export interface Migration {
  version: number;
  name: string;
  statements(schema: SqlSchema): string[];
}
