import type { LoggerService } from '@nestjs/common';
import type { ScheduledCommand, ScheduledCommandStore } from '../event-store/scheduled-commands.interface.js';
import type { CommandDispatcher } from './command-dispatcher.interface.js';
import { isInfrastructureFailure } from '../subscriptions/error-policy.js';
import type { ProcessCommandSender } from './process-command-sender.js';
import type { ProcessInstances } from './process-instances.js';
import type { ScheduledCommandTypes } from './scheduled-command-types.js';

/** What a firer works with. */
export interface FirerContext {
  instances: ProcessInstances;
  sender: ProcessCommandSender;
  scheduled: ScheduledCommandStore;
  dispatcher: CommandDispatcher;
  types: ScheduledCommandTypes;
  now: () => Date;
  logger: LoggerService;
  /** Attempts before a failing command is dropped, when the process manager has no `onError`. */
  maxAttempts: number;
  /** First retry delay in ms, doubled each attempt, when it has no `onError`. */
  retryDelay: number;
}

/**
 * Sends the due scheduled commands of one process manager, each under its stored command id: a
 * fire repeated after a crash (sent, not yet removed) is recognised by the command layer and has
 * no second effect. A failure goes to the process manager's `onError`; without one the command is
 * retried with backoff and dropped after `maxAttempts`.
 */
export class ScheduledCommandFirer {
  constructor(private readonly context: FirerContext) {}

  /** Fires up to `limit` due commands; returns how many were due. */
  async fireDue(limit: number): Promise<number> {
    const { scheduled, instances, now } = this.context;
    const due = await scheduled.dueCommands(instances.name, now(), limit);
    for (const command of due) await this.fire(command);
    return due.length;
  }

  private async fire(scheduled: ScheduledCommand): Promise<void> {
    const { dispatcher, types } = this.context;
    let command: object | undefined;
    try {
      command = types.revive(scheduled);
      const { commandId, causationId, correlationId, metadata } = scheduled;
      await dispatcher.dispatch(command, { commandId, causationId, correlationId, metadata });
    } catch (error) {
      if (isInfrastructureFailure(error)) throw error;
      return this.failed(scheduled, command, error);
    }
    await this.context.scheduled.settleScheduled(scheduled);
  }

  /**
   * `onError` decides; its changes to `this` are not saved here (the instance's events may be
   * moving it at the same time), except a `stop`, which ends the instance.
   */
  private async failed(scheduled: ScheduledCommand, command: object | undefined, error: unknown): Promise<void> {
    const { instances, sender, now } = this.context;
    const attempt = scheduled.attempts + 1;
    this.context.logger.error(
      `Scheduled command '${scheduled.key}' of ${instances.name} '${scheduled.processId}' failed (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`,
    );
    const loaded = command && (await instances.load(scheduled.processId));
    if (!command || !loaded || typeof loaded.instance.onError !== 'function') return this.backOff(scheduled, attempt);
    const decision = await sender.decide(loaded.instance, error, command, { processId: scheduled.processId, attempt, scheduledKey: scheduled.key });
    if (decision.decision === 'retry') return this.context.scheduled.settleScheduled(scheduled, new Date(now().getTime() + decision.delay));
    if (decision.decision === 'stop') return instances.save({ processId: scheduled.processId, loaded, ended: true, stamp: loaded.stamp });
    if (decision.decision === 'continue') {
      const { causationId, correlationId, metadata } = scheduled;
      const envelope = { causationId, correlationId, metadata };
      const outcome = await sender.send({
        ...loaded,
        processId: scheduled.processId,
        commands: decision.commands,
        idParts: [scheduled.commandId, 'instead', attempt],
        envelope,
      });
      if (outcome === 'stopped') return instances.save({ processId: scheduled.processId, loaded, ended: true, stamp: loaded.stamp });
    }
    await this.context.scheduled.settleScheduled(scheduled);
  }

  private async backOff(scheduled: ScheduledCommand, attempt: number): Promise<void> {
    const { maxAttempts, retryDelay, now, logger, instances } = this.context;
    if (attempt >= maxAttempts) {
      logger.error(`Scheduled command '${scheduled.key}' of ${instances.name} '${scheduled.processId}' is dropped after ${attempt} attempts`);
      return this.context.scheduled.settleScheduled(scheduled);
    }
    await this.context.scheduled.settleScheduled(scheduled, new Date(now().getTime() + retryDelay * 2 ** (attempt - 1)));
  }
}
