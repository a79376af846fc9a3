import type { EventStore } from '../event-store/event-store.interface.js';
import type { SubscriptionControlState } from '../event-store/subscription-control.interface.js';
import type { CliCommand, CliContext } from './cli-command.js';
import { table } from './text-output.js';

/**
 * Prints the stored state a control request left, and what happens next: the store only records
 * the request; the node that owns the subscription carries it out at its next poll.
 */
export function printControlState(context: CliContext, state: SubscriptionControlState, asked: string): void {
  if (context.json) return context.printJson(state);
  const rows = [[state.name, state.position, state.epoch, state.paused ? 'yes' : 'no', state.resetTo ?? '-', state.owner ?? '-']];
  table([['SUBSCRIPTION', 'POSITION', 'EPOCH', 'PAUSED', 'RESET TO', 'OWNER'], ...rows]).forEach((line) => context.print(line));
  context.print(`${asked}; the owning node carries it out within its poll interval.`);
}

/** A command taking one subscription name and storing one request for it. */
export function controlCommand(
  summary: string,
  request: (control: EventStore['control'], name: string) => Promise<SubscriptionControlState>,
  asked: string,
): CliCommand {
  return {
    summary,
    usage: '<subscription>',
    flags: {},
    positionals: { min: 1, max: 1, names: '<subscription>' },
    async run(context) {
      const store = await context.openStore();
      printControlState(context, await request(store.control, context.positionals[0]), asked);
    },
  };
}
