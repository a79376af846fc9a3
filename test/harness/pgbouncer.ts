import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { killChild, trackChild } from './child-registry.js';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';

/** Debian's `pgbouncer` package puts it here (`.ci/run` installs it). */
export const PGBOUNCER = '/usr/sbin/pgbouncer';

/** A PgBouncer of a test's own, in transaction mode, in front of the test database. */
export interface PgBouncerHandle {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/test`: the `test` database through the pooler. */
  readonly url: string;
  /** Stops it and removes its files. */
  stop(): Promise<void>;
}

/** Most server connections per database; transaction pooling shares them among every client. */
const SERVER_CONNECTIONS = 10;

const ini = (dir: string, port: number) => `[databases]
test = host=127.0.0.1 port=5432 dbname=test user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, 'userlist.txt')}
pool_mode = transaction
default_pool_size = ${SERVER_CONNECTIONS}
max_client_conn = 1000
`;

const answers = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
};

/**
 * Starts `/usr/sbin/pgbouncer` with `pool_mode = transaction` on a free port, trusting user
 * `postgres`, in front of the `test` database on 127.0.0.1:5432; ready once a query answers through
 * it. Fails at once, naming the package, when pgbouncer is not installed. PgBouncer refuses to run
 * as root, so under root it runs as `postgres` (`-u`).
 */
export async function startPgBouncer(): Promise<PgBouncerHandle> {
  if (!existsSync(PGBOUNCER)) throw new Error(`These tests need PgBouncer at ${PGBOUNCER}: apt-get install pgbouncer`);
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'pgbouncer-'));
  // Readable by the user PgBouncer drops to.
  await chmod(dir, 0o755);
  await writeFile(join(dir, 'userlist.txt'), '"postgres" ""\n');
  await writeFile(join(dir, 'pgbouncer.ini'), ini(dir, port));
  const asRoot = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
  const child = trackChild(spawn(PGBOUNCER, [...asRoot, join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'ignore', 'pipe'] }));
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = `postgres://postgres@127.0.0.1:${port}/test`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`pgbouncer on port ${port} exited with code ${code}: ${output.join('')}`))),
  );
  exited.catch(() => undefined);
  const stop = async () => {
    await killChild(child, 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([exited, eventually(() => answers(url), { timeout: 20_000 })]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, url, stop };
}

/** One PgBouncer for the tests of a file: started before them, stopped after them. */
export function pgBouncerForFile(): { url(): string } {
  let bouncer: PgBouncerHandle | undefined;
  beforeAll(async () => {
    bouncer = await startPgBouncer();
  }, 30_000);
  afterAll(() => bouncer?.stop());
  return {
    url: () => {
      if (!bouncer) throw new Error('PgBouncer has not started');
      return bouncer.url;
    },
  };
}
