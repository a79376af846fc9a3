import { InvalidOptionsError } from '../../errors/invalid-options.error.js';

/** Schema used when the options name none. */
export const DEFAULT_SCHEMA = 'event_store';

// Lowercase only: PGlite folds LISTEN channel names to lowercase, and the channel embeds the schema.
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;

/** Names derived from the store's schema, all safe to splice into SQL text. */
export interface SqlSchema {
  name: string;
  /** The quoted identifier, e.g. `"event_store"`. */
  quoted: string;
  /** LISTEN/NOTIFY channel announcing appends. */
  channel: string;
}

/** Validates a schema name (it is spliced into SQL) and derives the names built on it. */
export function sqlSchema(name: string = DEFAULT_SCHEMA): SqlSchema {
  if (typeof name !== 'string' || !SCHEMA_PATTERN.test(name)) {
    throw new InvalidOptionsError([
      `'eventStore.schema' must be 1-48 characters of lowercase letters, digits and '_', not starting with a digit, got ${JSON.stringify(name)}`,
    ]);
  }
  return { name, quoted: `"${name}"`, channel: `${name}_appended` };
}
