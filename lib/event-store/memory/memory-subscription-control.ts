import { InvalidControlRequestError } from '../../errors/invalid-control-request.error.js';
import { UnknownSubscriptionError } from '../../errors/unknown-subscription.error.js';
import { type ProgressWrite, type ReplayWindow, replayAfterReset, type StoredProgress } from '../progress-write.js';
import { resolveResetTarget, type StorePositions } from '../reset-target.js';
import { assertIdentifier } from '../store-strings.js';
import type { ResetTarget, SubscriptionControl, SubscriptionControlState } from '../subscription-control.interface.js';
import type { LeaseGrant } from '../subscription-lease.interface.js';

/**
 * The memory store's `subscriptions` table: checkpoint, epoch fence and control state per name,
 * with the SQL adapters' rules (the first acquisition creates the row at epoch 1, each later one,
 * reset and restart raises the epoch; a write naming an older epoch changes nothing).
 */
export class MemorySubscriptionControl implements SubscriptionControl {
  private readonly rows = new Map<string, SubscriptionControlState>();
  /** Positions above the checkpoint whose delivery finished (parallel partitions), ascending. */
  private readonly finished = new Map<string, number[]>();
  /** What the last reset of each subscription made it deliver again. */
  private readonly replays = new Map<string, ReplayWindow>();

  constructor(private readonly positions: StorePositions) {}

  position(name: string): number {
    return this.rows.get(name)?.position ?? 0;
  }

  epoch(name: string): number | undefined {
    return this.rows.get(name)?.epoch;
  }

  /** Creates the row or raises its epoch, naming the new owner; returns what the owner starts from. */
  take(name: string, owner: string | null): LeaseGrant {
    const row = this.rows.get(name);
    if (row) this.change(row, { epoch: row.epoch + 1, owner });
    else this.rows.set(name, { name, position: 0, epoch: 1, paused: false, owner, resetTo: null, updatedAt: new Date() });
    return { control: { ...this.rows.get(name)! }, progress: this.progress(name) };
  }

  /** Moves the checkpoint for the owner of `epoch`; false when stale. */
  write(name: string, epoch: number, position: number): boolean {
    const row = this.rows.get(name);
    if (row?.epoch !== epoch) return false;
    this.change(row, { position });
    return true;
  }

  progress(name: string): StoredProgress {
    const progress: StoredProgress = { checkpoint: this.position(name), finished: [...(this.finished.get(name) ?? [])] };
    const replay = this.replays.get(name);
    if (replay) progress.replay = { ...replay };
    return progress;
  }

  /** The SQL progress statement's rules: a forward-only checkpoint, finished positions merged and kept above it. */
  writeProgress(name: string, epoch: number, write: ProgressWrite): boolean {
    const row = this.rows.get(name);
    if (row?.epoch !== epoch) return false;
    const checkpoint = Math.max(row.position, write.checkpoint);
    const finished = new Set([...(this.finished.get(name) ?? []), ...(write.finished ?? [])]);
    this.finished.set(
      name,
      [...finished].filter((position) => position > checkpoint).sort((a, b) => a - b),
    );
    this.change(row, { position: checkpoint });
    return true;
  }

  /**
   * Carries out a pending reset for the owner of `epoch`: the checkpoint moves (backwards too),
   * nothing finished above it is kept, and what it had reached is delivered again as replays.
   */
  reset(name: string, epoch: number, position: number): boolean {
    const row = this.rows.get(name);
    if (row?.epoch !== epoch) return false;
    this.replays.set(name, replayAfterReset(this.progress(name), position));
    this.finished.delete(name);
    this.change(row, { position, resetTo: null });
    return true;
  }

  /** Forgets the owner of `epoch`, unless a newer one took over. */
  leave(name: string, epoch: number): void {
    const row = this.rows.get(name);
    if (row?.epoch === epoch) this.change(row, { owner: null });
  }

  async requestReset(name: string, to: ResetTarget): Promise<SubscriptionControlState> {
    const row = this.known(name);
    const position = await resolveResetTarget(to, this.positions);
    return { ...this.change(row, { resetTo: position, epoch: row.epoch + 1 }) };
  }

  async requestRestart(name: string): Promise<SubscriptionControlState> {
    const row = this.known(name);
    return { ...this.change(row, { epoch: row.epoch + 1 }) };
  }

  async setPaused(name: string, paused: boolean): Promise<SubscriptionControlState> {
    const row = this.known(name);
    if (typeof paused !== 'boolean') throw new InvalidControlRequestError(`'paused' must be true or false, got ${String(paused)}`);
    return { ...this.change(row, { paused }) };
  }

  async readControl(name: string): Promise<SubscriptionControlState | undefined> {
    assertIdentifier('subscription name', name);
    const row = this.rows.get(name);
    return row && { ...row };
  }

  async listControl(): Promise<SubscriptionControlState[]> {
    return [...this.rows.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((row) => ({ ...row }));
  }

  private known(name: string): SubscriptionControlState {
    assertIdentifier('subscription name', name);
    const row = this.rows.get(name);
    if (!row) throw new UnknownSubscriptionError(name);
    return row;
  }

  private change(row: SubscriptionControlState, changes: Partial<SubscriptionControlState>): SubscriptionControlState {
    return Object.assign(row, changes, { updatedAt: new Date() });
  }
}
