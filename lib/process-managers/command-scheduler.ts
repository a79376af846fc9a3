import type { LoggerService } from '@nestjs/common';
import type { EventStore } from '../event-store/event-store.interface.js';
import type { SubscriptionLease } from '../event-store/subscription-lease.interface.js';
import type { ScheduledCommandFirer } from './scheduled-command-firer.js';
import { sleep, WakeUp } from '../subscriptions/wake-up.js';

/** Name of the lease under which one process fires a process manager's scheduled commands. */
export const schedulerLeaseName = (processManager: string): string => `$scheduled-commands-${processManager}`;

/** How a scheduler polls and contends for its lease. */
export interface CommandSchedulerSettings {
  schedulePollInterval: number;
  lockRetryInterval: number;
  /** Commands fired per read. */
  batchSize: number;
}

/**
 * Fires one process manager's scheduled commands from exactly one process at a time: the holder
 * of its lease (the same fenced lease subscriptions use, under a reserved name), which another
 * process takes over when the holder dies. While holding it, it fires what is due, then sleeps
 * until the earliest due time, the poll interval or a wake-up, whichever comes first.
 */
export class CommandScheduler {
  private readonly shutdown = new AbortController();
  private readonly wakeUp = new WakeUp();
  private loop?: Promise<void>;

  constructor(
    private readonly processManager: string,
    private readonly firer: ScheduledCommandFirer,
    private readonly store: EventStore,
    private readonly settings: CommandSchedulerSettings,
    private readonly logger: LoggerService,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Looks for due commands now (a step of this process scheduled one). */
  wake(): void {
    this.wakeUp.notify();
  }

  async stop(): Promise<void> {
    this.shutdown.abort();
    this.wakeUp.notify();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.shutdown.signal.aborted) {
      const lease = await this.store.acquireSubscription(schedulerLeaseName(this.processManager)).catch((error: unknown) => {
        this.logger.warn(`Scheduler of '${this.processManager}' could not try its lease: ${messageOf(error)}`);
        return undefined;
      });
      if (lease) await this.hold(lease);
      else await sleep(this.settings.lockRetryInterval, this.shutdown.signal);
    }
  }

  private async hold(lease: SubscriptionLease): Promise<void> {
    const lost = new AbortController();
    lease.onLost(() => lost.abort());
    const signal = AbortSignal.any([this.shutdown.signal, lost.signal]);
    while (!signal.aborted) {
      let wait = this.settings.schedulePollInterval;
      try {
        if ((await this.firer.fireDue(this.settings.batchSize)) === this.settings.batchSize) continue;
        wait = await this.untilNextDue();
      } catch (error) {
        this.logger.warn(`Scheduler of '${this.processManager}' failed; it tries again in ${wait} ms: ${messageOf(error)}`);
      }
      await this.wakeUp.wait(wait, signal);
    }
    await lease.release().catch(() => undefined);
  }

  private async untilNextDue(): Promise<number> {
    const next = await this.store.scheduledCommands!.nextDueAt(this.processManager);
    const poll = this.settings.schedulePollInterval;
    return next ? Math.min(poll, Math.max(0, next.getTime() - Date.now())) : poll;
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
