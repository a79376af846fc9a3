import type { CliCommand } from './cli-command.js';
import { printControlState } from './control-output.js';

/** `pause <subscription>`: stops delivery on whichever node owns it, until resumed. */
export const command: CliCommand = {
  summary: 'stop delivering a subscription, on any node, until resumed (kept across restarts)',
  usage: '<subscription>',
  flags: {},
  positionals: { min: 1, max: 1, names: '<subscription>' },
  async run(context) {
    const store = await context.openStore();
    printControlState(context, await store.control.setPaused(context.positionals[0], true), 'pause stored');
  },
};
