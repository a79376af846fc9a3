import type { JsonObject } from '../recorded-event.js';
import { assertProcessChange } from '../scheduled-command-input.js';
import type { ProcessStateChange, ScheduledCommand, ScheduledCommandStore } from '../scheduled-commands.interface.js';
import { assertIdentifier } from '../store-strings.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import type { SqlDriver } from './sql-driver.interface.js';
import type { SqlSchema } from './sql-schema.js';
import { deleteSnapshot, upsertSnapshot } from './sql-snapshots.js';
import { commitStates, statesOnly } from './sql-process-states.js';
import { Batcher } from '../../util/batcher.js';

interface ScheduledRow {
  process_manager: string;
  process_id: string;
  key: string;
  command_id: string;
  command_type: string;
  command: JsonObject;
  due_at: Date | string;
  causation_id: string | null;
  correlation_id: string | null;
  metadata: JsonObject;
  attempts: number;
}

const toScheduled = (row: ScheduledRow): ScheduledCommand => ({
  processManager: row.process_manager,
  processId: row.process_id,
  key: row.key,
  commandId: row.command_id,
  commandType: row.command_type,
  command: row.command,
  dueAt: new Date(row.due_at),
  ...(row.causation_id !== null && { causationId: row.causation_id }),
  ...(row.correlation_id !== null && { correlationId: row.correlation_id }),
  metadata: row.metadata,
  attempts: Number(row.attempts),
});

/** Scheduled commands in the `scheduled_commands` table (migration 6), committed with the instance's snapshot. */
export class SqlScheduledCommands implements ScheduledCommandStore {
  private readonly table: string;
  /** Instances stepping at the same time commit together (see {@link Batcher}). */
  private readonly commits = new Batcher((changes: ProcessStateChange[]) => this.commit(changes));

  constructor(
    private readonly driver: SqlDriver,
    private readonly schema: SqlSchema,
    private readonly maxPayloadBytes: number,
  ) {
    this.table = `${schema.quoted}.scheduled_commands`;
  }

  async commitProcess(change: ProcessStateChange): Promise<void> {
    assertProcessChange(change, this.maxPayloadBytes);
    await this.commits.submit(change);
  }

  /**
   * Writes the changes gathered while the previous write was in flight: states only, in one
   * statement; with schedule changes, one transaction applying them in order.
   */
  private async commit(changes: ProcessStateChange[]): Promise<void[]> {
    if (statesOnly(changes)) await commitStates(this.driver, this.schema, changes);
    else
      await this.driver.transaction(async (sql) => {
        for (const change of changes) await this.apply(sql, change);
      });
    return changes.map(() => undefined);
  }

  private async apply(sql: SqlExecutor, change: ProcessStateChange): Promise<void> {
    const { processManager, processId, state } = change;
    if (!state) {
      await deleteSnapshot(sql, this.schema, change.stateStreamId);
      await sql.query(`DELETE FROM ${this.table} WHERE process_manager = $1 AND process_id = $2`, [processManager, processId]);
      return;
    }
    await upsertSnapshot(sql, this.schema, state);
    if (change.cancel.length) {
      await sql.query(`DELETE FROM ${this.table} WHERE process_manager = $1 AND process_id = $2 AND key = ANY($3::text[])`, [
        processManager,
        processId,
        change.cancel,
      ]);
    }
    for (const scheduled of change.schedule) await this.upsert(sql, scheduled);
  }

  async dueCommands(processManager: string, now: Date, limit: number): Promise<ScheduledCommand[]> {
    assertIdentifier('process manager name', processManager);
    const { rows } = await this.driver.query<ScheduledRow>(
      `SELECT * FROM ${this.table} WHERE process_manager = $1 AND due_at <= $2::timestamptz ORDER BY due_at, process_id, key LIMIT $3`,
      [processManager, now.toISOString(), limit],
    );
    return rows.map(toScheduled);
  }

  async nextDueAt(processManager: string): Promise<Date | undefined> {
    assertIdentifier('process manager name', processManager);
    const { rows } = await this.driver.query<{ due: Date | string | null }>(
      `SELECT min(due_at) AS due FROM ${this.table} WHERE process_manager = $1`,
      [processManager],
    );
    return rows[0]?.due ? new Date(rows[0].due) : undefined;
  }

  async listScheduled(processManager: string, processId?: string): Promise<ScheduledCommand[]> {
    assertIdentifier('process manager name', processManager);
    const { rows } = await this.driver.query<ScheduledRow>(
      `SELECT * FROM ${this.table} WHERE process_manager = $1 AND ($2::text IS NULL OR process_id = $2) ORDER BY due_at, process_id, key`,
      [processManager, processId ?? null],
    );
    return rows.map(toScheduled);
  }

  async settleScheduled(command: ScheduledCommand, retryAt?: Date): Promise<void> {
    const where = `WHERE process_manager = $1 AND process_id = $2 AND key = $3 AND command_id = $4`;
    const params = [command.processManager, command.processId, command.key, command.commandId];
    if (retryAt)
      await this.driver.query(`UPDATE ${this.table} SET due_at = $5::timestamptz, attempts = attempts + 1 ${where}`, [
        ...params,
        retryAt.toISOString(),
      ]);
    else await this.driver.query(`DELETE FROM ${this.table} ${where}`, params);
  }

  private async upsert(sql: SqlExecutor, s: ScheduledCommand): Promise<void> {
    await sql.query(
      `INSERT INTO ${this.table} (process_manager, process_id, key, command_id, command_type, command, due_at, causation_id, correlation_id, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9, $10)
       ON CONFLICT (process_manager, process_id, key) DO UPDATE SET command_id = $4, command_type = $5, command = $6, due_at = $7::timestamptz,
         causation_id = $8, correlation_id = $9, metadata = $10, attempts = 0, created_at = now()`,
      [
        s.processManager,
        s.processId,
        s.key,
        s.commandId,
        s.commandType,
        JSON.stringify(s.command),
        s.dueAt.toISOString(),
        s.causationId ?? null,
        s.correlationId ?? null,
        JSON.stringify(s.metadata),
      ],
    );
  }
}
