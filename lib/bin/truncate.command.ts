import { type CliCommand, integerFlag, UsageError } from './cli-command.js';
import { confirmed, printRemoval, REMOVAL_FLAGS, REMOVAL_HELP } from './removal-output.js';

/** `truncate <stream> --before <version>`: removes the events a snapshot covers. */
export const command: CliCommand = {
  summary: "remove a stream's events before a version its snapshot covers (closing the books)",
  usage: '<stream> --before <version> [--dry-run] [--yes]',
  details: `  --before   the first version to keep; at most the stream's version (its last event always stays), and its
             snapshot must cover the version before it
${REMOVAL_HELP}`,
  flags: { before: { type: 'string' }, ...REMOVAL_FLAGS },
  positionals: { min: 1, max: 1, names: '<stream>' },
  async run(context) {
    if (context.values.before === undefined) throw new UsageError("'truncate' needs --before <version>");
    const before = integerFlag(context, 'before', 1, 1);
    const yes = confirmed(context);
    const store = await context.openStore();
    const removal = await store.truncateStream(context.positionals[0], before, { dryRun: !yes });
    return printRemoval(context, removal, `truncate before version ${before}`, !context.values['dry-run']);
  },
};
