import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * The schema named for the event store does not exist and the store was opened without migrating
 * (the command line, `autoMigrate: false`): usually a mistyped name. `existing` lists the schemas
 * of that database that do hold an event store.
 */
export class SchemaNotFoundError extends EventSourcingError {
  static readonly code = 'SCHEMA_NOT_FOUND';

  constructor(
    readonly schema: string,
    readonly database: string,
    readonly existing: string[],
  ) {
    super(SchemaNotFoundError.code, SchemaNotFoundError.describe(schema, database, existing));
  }

  private static describe(schema: string, database: string, existing: string[]): string {
    const stores = existing.length ? `event stores in this database: ${existing.join(', ')}` : 'no schema in this database holds an event store';
    return (
      `Schema '${schema}' does not exist in database '${database}' (${stores}). ` +
      `Check --schema (or the 'schema' option); to create a new, empty store there, run \`nestjs-event-sourcing migrate --schema ${schema}\`.`
    );
  }
}

/** True when `error` is a {@link SchemaNotFoundError}. */
export const isSchemaNotFound = codeGuard<SchemaNotFoundError>(SchemaNotFoundError.code);
