import { execFile, execFileSync } from 'node:child_process';
import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';
import { TEST_DATABASE_URL, withClient } from './postgres-schema.js';

const run = promisify(execFile);

/** A streaming standby of the test server, of a test file's own. */
export interface PostgresReplicaHandle {
  readonly port: number;
  /** The test database on the standby, e.g. `postgres://postgres@127.0.0.1:<port>/test`. */
  readonly url: string;
  /** Runs `sql` on the standby. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Stops replaying the primary's WAL (it still receives it); resolves once replay has paused. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Resolves once the standby has replayed everything the primary had written when called. */
  caughtUp(): Promise<void>;
  /** Stops the server (`pg_ctl stop -m fast`: connections are ended), keeping its files. */
  stop(): Promise<void>;
  /** Stops it if running and removes its files. */
  dispose(): Promise<void>;
}

/** The settings a hot standby must hold at least as high as its primary, or it refuses to start. */
const AT_LEAST_PRIMARY = ['max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction'];

const primary = new URL(TEST_DATABASE_URL);
const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program as the `postgres` user (the server's files are its own); as is when not root. */
const asPostgres = (program: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', program, ...args]) : run(program, args));

async function standbyConf(port: number, socketDir: string): Promise<string> {
  const settings = await withClient(async (client) => {
    const { rows } = await client.query<{ name: string; setting: string }>('SELECT name, setting FROM pg_settings WHERE name = ANY($1)', [
      AT_LEAST_PRIMARY,
    ]);
    return rows.map((row) => `${row.name} = ${row.setting}`);
  });
  return [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${socketDir}'`,
    'fsync = off',
    'hot_standby = on',
    'hot_standby_feedback = on',
    ...settings,
    '',
  ].join('\n');
}

async function binDir(): Promise<string> {
  const major = await withClient(async (client) =>
    (await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v.slice(0, -4),
  );
  return `/usr/lib/postgresql/${major}/bin`;
}

const failure = (step: string, error: unknown, log = '') =>
  new Error(
    `Could not start a streaming replica of ${primary.host} (${step}): ${(error as { stderr?: string }).stderr || String(error)}${log}\n` +
      `It needs PostgreSQL's binaries in /usr/lib/postgresql/<major>/bin, a user 'postgres', and a line ` +
      "'host replication all 127.0.0.1/32 trust' in the primary's pg_hba.conf (reloaded): .ci/run adds it.",
  );

/**
 * Starts a real streaming replica of the test server: `pg_basebackup -R -X stream` into a fresh
 * directory owned by `postgres`, then `pg_ctl start` on a free port, ready once it accepts
 * read-only connections. Fails with a message naming what is missing when it cannot.
 */
export async function startPostgresReplica(): Promise<PostgresReplicaHandle> {
  const bin = await binDir();
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'pg-replica-'));
  const data = join(dir, 'data');
  await ownedByPostgres(dir);
  const ctl = (...args: string[]) => asPostgres(join(bin, 'pg_ctl'), ['-D', data, ...args]);
  let running = false;
  const stop = async () => {
    if (!running) return;
    running = false;
    process.off('exit', stopNow);
    await ctl('stop', '-m', 'fast', '-w').catch(() => undefined);
  };
  // pg_ctl detaches the server: a test process that dies must not leave it running.
  const stopNow = () => {
    const args = [join(bin, 'pg_ctl'), '-D', data, 'stop', '-m', 'immediate'];
    if (running) execFileSync(asRoot ? 'runuser' : args[0], asRoot ? ['-u', 'postgres', '--', ...args] : args.slice(1));
  };
  const dispose = async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const { hostname, port: primaryPort, username } = primary;
    await asPostgres(join(bin, 'pg_basebackup'), [
      '-h',
      hostname,
      '-p',
      primaryPort || '5432',
      '-U',
      username || 'postgres',
      '-D',
      data,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]).catch((error) => {
      throw failure('pg_basebackup', error);
    });
    await writeAsPostgres(join(data, 'postgresql.conf'), await standbyConf(port, dir));
    await writeAsPostgres(join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
    running = true;
    process.once('exit', stopNow);
    await ctl('-l', join(dir, 'log'), 'start', '-w', '-t', '120').catch(async (error) => {
      const log = await readFile(join(dir, 'log'), 'utf8').catch(() => '');
      throw failure('pg_ctl start', error, `\n${log}`);
    });
  } catch (error) {
    await dispose();
    throw error;
  }
  const url = `postgres://postgres@127.0.0.1:${port}${primary.pathname}`;
  const query = async <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    port,
    url,
    query,
    pauseReplay: async () => {
      await query('SELECT pg_wal_replay_pause()');
      await eventually(async () => expectState(await query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state'), 'paused'));
    },
    resumeReplay: async () => {
      await query('SELECT pg_wal_replay_resume()');
    },
    caughtUp: async () => {
      const lsn = await withClient(
        async (client) => (await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0].lsn,
      );
      await eventually(async () =>
        expectState(await query<{ state: string }>('SELECT (pg_last_wal_replay_lsn() >= $1::pg_lsn)::text AS state', [lsn]), 'true'),
      );
    },
    stop,
    dispose,
  };
}

function expectState(rows: Array<{ state: string }>, wanted: string): void {
  if (rows[0].state !== wanted) throw new Error(`replica state ${rows[0].state}, waiting for ${wanted}`);
}

/** Under root, hands `path` to the user the server runs as. */
async function ownedByPostgres(path: string): Promise<void> {
  if (!asRoot) return;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString());
  await chown(path, id('-u'), id('-g'));
}

/** Writes a file the server (running as `postgres`) reads. */
async function writeAsPostgres(path: string, text: string): Promise<void> {
  await writeFile(path, text);
  await ownedByPostgres(path);
}

/** One replica for the tests of a file: started before them, removed after them. */
export function postgresReplicaForFile(): () => PostgresReplicaHandle {
  let replica: PostgresReplicaHandle | undefined;
  beforeAll(async () => {
    replica = await startPostgresReplica();
  }, 300_000);
  afterAll(() => replica?.dispose());
  return () => {
    if (!replica) throw new Error('The PostgreSQL replica has not started');
    return replica;
  };
}
