#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { migrate } from '../migrate.js';
import { DEFAULT_SCHEMA } from '../event-store/sql/sql-schema.js';

const USAGE = `Usage: nestjs-event-sourcing migrate [--url <postgres url>] [--schema <name>] [--data-dir <dir>]

Creates or upgrades the event store tables. Safe to run from several processes at once.
  --url       PostgreSQL connection string (default: $DATABASE_URL)
  --schema    schema holding the tables (default: ${DEFAULT_SCHEMA})
  --data-dir  migrate an embedded (PGlite) store in this directory instead of a server`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      schema: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals[0] !== 'migrate' || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const url = values.url ?? process.env.DATABASE_URL;
  const dataDir = values['data-dir'];
  if (!url && !dataDir) {
    console.error('Give --url (or set DATABASE_URL), or --data-dir for an embedded store.\n\n' + USAGE);
    return 2;
  }
  const schema = values.schema ?? DEFAULT_SCHEMA;
  const applied = await migrate(dataDir ? { adapter: 'embedded', dataDir, schema } : { connectionString: url, schema });
  console.log(applied.length ? `schema ${schema}: applied migrations ${applied.join(', ')}` : `schema ${schema}: already up to date`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`migrate failed: ${error.message}`);
    process.exitCode = 1;
  },
);
