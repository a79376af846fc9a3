import type { CliCommand } from './cli-command.js';
import { confirmed, printRemoval, REMOVAL_FLAGS, REMOVAL_HELP } from './removal-output.js';

/** `delete <stream>`: appends the tombstone; `--hard` also removes the events before it. */
export const command: CliCommand = {
  summary: 'delete a stream: a tombstone keeps its version and tells subscriptions; --hard also removes its events',
  usage: '<stream> [--hard] [--dry-run] [--yes]',
  details: `  --hard     also remove every event before the tombstone, and the stream's snapshot (see docs/erasure-and-retention.md)
${REMOVAL_HELP}`,
  flags: { hard: { type: 'boolean' }, ...REMOVAL_FLAGS },
  positionals: { min: 1, max: 1, names: '<stream>' },
  async run(context) {
    const yes = confirmed(context);
    const hard = context.values.hard === true;
    const store = await context.openStore();
    const removal = await store.deleteStream(context.positionals[0], { hard, dryRun: !yes });
    return printRemoval(context, removal, hard ? 'hard delete' : 'soft delete', !context.values['dry-run']);
  },
};
