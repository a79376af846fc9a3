import type { CliCommand } from './cli-command.js';
import { printControlState } from './control-output.js';

/** `resume <subscription>`: lets a paused subscription deliver again from its checkpoint. */
export const command: CliCommand = {
  summary: 'let a paused subscription deliver again from its checkpoint',
  usage: '<subscription>',
  flags: {},
  positionals: { min: 1, max: 1, names: '<subscription>' },
  async run(context) {
    const store = await context.openStore();
    printControlState(context, await store.control.setPaused(context.positionals[0], false), 'resume stored');
  },
};
