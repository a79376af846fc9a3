import type { Snapshot } from '../recorded-event.js';
import { assertProcessChange } from '../scheduled-command-input.js';
import type { ProcessStateChange, ScheduledCommand, ScheduledCommandStore } from '../scheduled-commands.interface.js';
import { assertIdentifier } from '../store-strings.js';

/** Where the memory store keeps process state, shared with its snapshot methods. */
export interface MemorySnapshots {
  save(snapshot: Snapshot): void;
  delete(streamId: string): void;
}

const rowKey = (processManager: string, processId: string, key: string): string => JSON.stringify([processManager, processId, key]);
const byDue = (a: ScheduledCommand, b: ScheduledCommand): number =>
  a.dueAt.getTime() - b.dueAt.getTime() || a.processId.localeCompare(b.processId) || a.key.localeCompare(b.key);

/** Scheduled commands of the memory store; a change is applied whole, with nothing awaited in between. */
export class MemoryScheduledCommands implements ScheduledCommandStore {
  private readonly rows = new Map<string, ScheduledCommand>();

  constructor(
    private readonly snapshots: MemorySnapshots,
    private readonly maxPayloadBytes: number,
  ) {}

  async commitProcess(change: ProcessStateChange): Promise<void> {
    assertProcessChange(change, this.maxPayloadBytes);
    const { processManager, processId, state } = change;
    if (!state) {
      this.snapshots.delete(change.stateStreamId);
      for (const [id, row] of this.rows) if (row.processManager === processManager && row.processId === processId) this.rows.delete(id);
      return;
    }
    this.snapshots.save(state);
    change.cancel.forEach((key) => this.rows.delete(rowKey(processManager, processId, key)));
    for (const scheduled of change.schedule) {
      this.rows.set(rowKey(processManager, processId, scheduled.key), { ...structuredClone(scheduled), attempts: 0 });
    }
  }

  async dueCommands(processManager: string, now: Date, limit: number): Promise<ScheduledCommand[]> {
    return (await this.listScheduled(processManager)).filter((row) => row.dueAt <= now).slice(0, limit);
  }

  async nextDueAt(processManager: string): Promise<Date | undefined> {
    return (await this.listScheduled(processManager))[0]?.dueAt;
  }

  async listScheduled(processManager: string, processId?: string): Promise<ScheduledCommand[]> {
    assertIdentifier('process manager name', processManager);
    const rows = [...this.rows.values()].filter(
      (row) => row.processManager === processManager && (processId === undefined || row.processId === processId),
    );
    return structuredClone(rows.sort(byDue));
  }

  async settleScheduled(command: ScheduledCommand, retryAt?: Date): Promise<void> {
    const id = rowKey(command.processManager, command.processId, command.key);
    const row = this.rows.get(id);
    if (row?.commandId !== command.commandId) return;
    if (retryAt) this.rows.set(id, { ...row, dueAt: new Date(retryAt), attempts: row.attempts + 1 });
    else this.rows.delete(id);
  }
}
