import type { CliCommand } from './cli-command.js';
import { printControlState } from './control-output.js';

/** `restart <subscription>`: the owner starts over from its checkpoint; a halted one retries. */
export const command: CliCommand = {
  summary: 'make the owner start over from its checkpoint (a subscription halted by its error policy retries)',
  usage: '<subscription>',
  flags: {},
  positionals: { min: 1, max: 1, names: '<subscription>' },
  async run(context) {
    const store = await context.openStore();
    printControlState(context, await store.control.requestRestart(context.positionals[0]), 'restart requested');
  },
};
