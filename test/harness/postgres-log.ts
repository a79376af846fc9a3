import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const LOG_DIR = '/var/log/postgresql';

/** The PostgreSQL server's log: `PG_SERVER_LOG`, or Debian's `/var/log/postgresql/postgresql-<v>-main.log`. */
async function serverLogPath(): Promise<string> {
  if (process.env.PG_SERVER_LOG) return process.env.PG_SERVER_LOG;
  const files = await readdir(LOG_DIR).catch(() => [] as string[]);
  const main = files.find((file) => /^postgresql-\d+-main\.log$/.test(file));
  if (!main) throw new Error(`No PostgreSQL server log in ${LOG_DIR}; set PG_SERVER_LOG to its path`);
  return join(LOG_DIR, main);
}

/**
 * Counts appends refused for a wrong expected version in one schema, as the server logged them
 * (each raises an error the server writes with the schema's `append_events` as context). This
 * sees every conflicting attempt of every node, which no single node can report.
 */
export async function conflictCounter(schema: string): Promise<{ count(): Promise<number> }> {
  const path = await serverLogPath();
  const from = (await stat(path)).size;
  const marker = `PL/pgSQL function ${schema}.append_events(`;
  return {
    async count() {
      // The server writes its log asynchronously; let the last errors land.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const file = await open(path, 'r');
      try {
        const { size } = await file.stat();
        const buffer = Buffer.alloc(size - from);
        await file.read(buffer, 0, buffer.length, from);
        return buffer.toString('utf8').split('\n').filter((line) => line.includes(marker) && line.includes('at RAISE')).length;
      } finally {
        await file.close();
      }
    },
  };
}
