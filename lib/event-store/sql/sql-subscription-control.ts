import { InvalidControlRequestError } from '../../errors/invalid-control-request.error.js';
import { UnknownSubscriptionError } from '../../errors/unknown-subscription.error.js';
import { resolveResetTarget, type StorePositions } from '../reset-target.js';
import type { SqlExecutor } from '../sql-executor.interface.js';
import { assertIdentifier } from '../store-strings.js';
import type { ResetTarget, SubscriptionControl, SubscriptionControlState } from '../subscription-control.interface.js';
import type { SqlSchema } from './sql-schema.js';

/** A row of the subscriptions table as {@link toState} reads it. */
export interface ControlRow {
  name: string;
  position: string;
  epoch: string;
  paused: boolean;
  owner: string | null;
  reset_to: string | null;
  updated_at: Date;
  partitions: number | null;
  partition_of: string | null;
}

/** The columns of a {@link ControlRow}. */
export const COLUMNS = 'name, position, epoch, paused, owner, reset_to, updated_at, partitions, partition_of';

/** The same columns read by operators: a spread subscription's position is its lowest partition's. */
const READ_COLUMNS = `name, COALESCE((SELECT min(p.position) FROM %s.subscriptions p WHERE p.partition_of = s.name), s.position) AS position,
  epoch, paused, owner, reset_to, updated_at, partitions, partition_of`;

export const toState = (row: ControlRow): SubscriptionControlState => ({
  name: row.name,
  position: Number(row.position),
  epoch: Number(row.epoch),
  paused: row.paused,
  owner: row.owner,
  resetTo: row.reset_to === null ? null : Number(row.reset_to),
  updatedAt: new Date(row.updated_at),
  ...(row.partitions === null || row.partitions === undefined ? {} : { partitions: Number(row.partitions) }),
  ...(row.partition_of === null || row.partition_of === undefined ? {} : { partitionOf: row.partition_of }),
});

/**
 * {@link SubscriptionControl} on the `subscriptions` table: each request is one UPDATE of the row,
 * and of the rows of its partitions when it is spread (they obey the same pause, restart and
 * reset; see `SpreadRunner` for who carries a spread reset out).
 */
export class SqlSubscriptionControl implements SubscriptionControl {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly schema: SqlSchema,
    private readonly positions: StorePositions,
  ) {}

  async requestReset(name: string, to: ResetTarget): Promise<SubscriptionControlState> {
    assertIdentifier('subscription name', name);
    const position = await resolveResetTarget(to, this.positions);
    return this.update(name, 'reset_to = $2, epoch = epoch + 1', [position]);
  }

  async requestRestart(name: string): Promise<SubscriptionControlState> {
    assertIdentifier('subscription name', name);
    return this.update(name, 'epoch = epoch + 1');
  }

  async setPaused(name: string, paused: boolean): Promise<SubscriptionControlState> {
    assertIdentifier('subscription name', name);
    if (typeof paused !== 'boolean') throw new InvalidControlRequestError(`'paused' must be true or false, got ${String(paused)}`);
    return this.update(name, 'paused = $2', [paused]);
  }

  async readControl(name: string): Promise<SubscriptionControlState | undefined> {
    assertIdentifier('subscription name', name);
    const { rows } = await this.sql.query<ControlRow>(`SELECT ${this.readColumns()} FROM ${this.schema.quoted}.subscriptions s WHERE name = $1`, [
      name,
    ]);
    return rows[0] && toState(rows[0]);
  }

  async listControl(): Promise<SubscriptionControlState[]> {
    const { rows } = await this.sql.query<ControlRow>(
      `SELECT ${this.readColumns()} FROM ${this.schema.quoted}.subscriptions s
        ORDER BY COALESCE(partition_of, name), partition_of NULLS FIRST, length(name), name`,
    );
    return rows.map(toState);
  }

  private async update(name: string, set: string, params: unknown[] = []): Promise<SubscriptionControlState> {
    const { rows } = await this.sql.query<ControlRow>(
      `UPDATE ${this.schema.quoted}.subscriptions SET ${set}, updated_at = now() WHERE name = $1 OR partition_of = $1 RETURNING ${COLUMNS}`,
      [name, ...params],
    );
    const own = rows.find((row) => row.name === name);
    if (!own) throw new UnknownSubscriptionError(name);
    return toState(own);
  }

  private readColumns(): string {
    return READ_COLUMNS.replace('%s', this.schema.quoted);
  }
}
