import { withClient } from './postgres-schema.js';

/** A fault planted in a test schema with a trigger: real database errors and delays, no mocks. */
export interface PlantedFault {
  /** Times the fault fired (counted with a sequence, which a rollback does not undo). */
  hits(): Promise<number>;
  /** Stops it firing. */
  disarm(): Promise<void>;
}

const sql = (statement: string, params: unknown[] = []) => withClient((client) => client.query(statement, params));

async function plant(schema: string, name: string, table: string, timing: string, body: string): Promise<PlantedFault> {
  const s = `"${schema}"`;
  await sql(`CREATE TABLE IF NOT EXISTS ${s}.fault_switch (name text PRIMARY KEY, armed boolean NOT NULL)`);
  await sql(`INSERT INTO ${s}.fault_switch VALUES ($1, true) ON CONFLICT (name) DO UPDATE SET armed = true`, [name]);
  await sql(`CREATE SEQUENCE IF NOT EXISTS ${s}.${name}_hits`);
  await sql(`CREATE OR REPLACE FUNCTION ${s}.${name}() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      IF (SELECT armed FROM ${s}.fault_switch WHERE name = '${name}') THEN ${body} END IF;
      RETURN NEW;
    END $f$`);
  await sql(`CREATE OR REPLACE TRIGGER ${name} ${timing} ON ${s}.${table} FOR EACH ROW EXECUTE FUNCTION ${s}.${name}()`);
  return {
    hits: async () => {
      const { rows } = await sql(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM ${s}.${name}_hits`);
      return Number(rows[0].n);
    },
    disarm: async () => void (await sql(`UPDATE ${s}.fault_switch SET armed = false WHERE name = $1`, [name])),
  };
}

/**
 * Every save of existing process-manager state under `streamId` (a snapshot row, `$pm-<name>-<id>`)
 * waits `holdSeconds`, then fails, until disarmed: the step's commands have gone out, its state is
 * not saved, so the step runs again.
 */
export function failStateSaves(schema: string, streamId: string, holdSeconds: number): Promise<PlantedFault> {
  return plant(
    schema,
    'fail_state_save',
    'snapshots',
    'BEFORE UPDATE',
    `IF NEW.stream_id = ${literal(streamId)} THEN
       PERFORM nextval('"${schema}".fail_state_save_hits');
       PERFORM pg_sleep(${Number(holdSeconds)});
       RAISE EXCEPTION 'injected fault: state save of % refused', NEW.stream_id;
     END IF;`,
  );
}

/**
 * The first append of an event matching `condition` (SQL over NEW, e.g. `NEW.metadata->>'commandId' = 'k'`)
 * commits only after `seconds`: longer than the dispatch timeout, so the sender hears a timeout for
 * a command whose events are stored.
 */
export function slowAppend(schema: string, name: string, condition: string, seconds: number): Promise<PlantedFault> {
  return plant(
    schema,
    name,
    'events',
    'AFTER INSERT',
    // Nested IFs: SQL does not promise to skip nextval() when the condition is false.
    `IF ${condition} THEN
       IF nextval('"${schema}".${name}_hits') = 1 THEN PERFORM pg_sleep(${Number(seconds)}); END IF;
     END IF;`,
  );
}

/** A string as an SQL literal (test-chosen ids only; quotes doubled). */
export const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Terminates the sample's own connections, never anyone else's: those whose `application_name`
 * starts with `appNamePrefix` (a whole bank, or one node of it); returns how many.
 */
export async function terminateBackends(appNamePrefix: string): Promise<number> {
  const { rows } = await sql(
    `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
      WHERE left(application_name, length($1)) = $1 AND pid <> pg_backend_pid()`,
    [appNamePrefix],
  );
  return Number(rows[0].n);
}
