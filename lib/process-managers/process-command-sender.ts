import type { CommandDispatcher, CommandDispatchOptions } from './command-dispatcher.interface.js';
import { deterministicUuid } from '../util/deterministic-uuid.js';
import { isInfrastructureFailure } from '../subscriptions/error-policy.js';
import { checkedDecision, type ProcessErrorContext, type ProcessErrorDecision } from './process-error-decision.js';
import type { ProcessInstance } from './process-instances.js';
import { sleep } from '../subscriptions/wake-up.js';

/** Commands of one instance to send in order, and where their ids come from. */
export interface CommandBatch {
  instance: ProcessInstance;
  processId: string;
  commands: object[];
  /** Each command's id is derived from these parts and its index, so a repeat carries the same id. */
  idParts: Array<string | number>;
  envelope: Omit<CommandDispatchOptions, 'commandId'>;
  /** The event whose step produced the commands. */
  event?: object;
}

/** How a batch ended: all sent, or cut short by an `onError` decision (`skipped` also after a replacement). */
export type BatchOutcome = 'sent' | 'skipped' | 'stopped';

/**
 * Sends a process manager's commands. A failure goes to the instance's `onError` when it has
 * one, and its decision is carried out; without one (and for infrastructure failures, which are
 * never the command's fault) the error is thrown for the subscription's error policy.
 */
export class ProcessCommandSender {
  constructor(
    private readonly owner: string,
    private readonly dispatcher: CommandDispatcher,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  async send(batch: CommandBatch): Promise<BatchOutcome> {
    for (const [index, command] of batch.commands.entries()) {
      const outcome = await this.sendOne(batch, command, [...batch.idParts, index]);
      if (outcome !== 'sent') return outcome;
    }
    return 'sent';
  }

  /** `onError`'s decision about `error`; rethrows it when there is no `onError` to ask. */
  async decide(instance: ProcessInstance, error: unknown, command: object, context: ProcessErrorContext): Promise<ProcessErrorDecision> {
    const onError = instance.onError;
    if (typeof onError !== 'function' || isInfrastructureFailure(error)) throw error;
    return checkedDecision(this.owner, await onError.call(instance, error, command, context));
  }

  private async sendOne(batch: CommandBatch, command: object, idParts: Array<string | number>): Promise<BatchOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dispatcher.dispatch(command, { ...batch.envelope, commandId: deterministicUuid(...idParts) });
        return 'sent';
      } catch (error) {
        const context = { processId: batch.processId, attempt, event: batch.event };
        const decision = await this.decide(batch.instance, error, command, context);
        if (decision.decision === 'retry') await this.wait(decision.delay);
        else if (decision.decision === 'continue') {
          // The replacement stands for the rest of the batch too: it was written for this failure.
          const replaced = await this.send({ ...batch, commands: decision.commands, idParts: [...idParts, 'instead', attempt] });
          return replaced === 'stopped' ? 'stopped' : 'skipped';
        } else return decision.decision === 'skip' ? 'skipped' : 'stopped';
      }
    }
  }
}
