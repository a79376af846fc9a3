import { asSqlEventStore } from '../event-store/sql/sql-event-store.js';
import { DEFAULT_RANGE_SIZE } from '../event-store/sql/partitioning.options.js';
import { type CliCommand, integerFlag } from './cli-command.js';

/** `partition-events`: turns the events table into partitions of global-position ranges, in place. */
export const command: CliCommand = {
  summary: 'lay the events table out as partitions of global-position ranges (needed before close-books)',
  usage: '[--range-size n] [--dry-run]',
  details: `  --range-size  global positions per partition (default ${DEFAULT_RANGE_SIZE})
  --dry-run     say what would be done, change nothing
  The existing table becomes the first partition without copying a row: a CHECK constraint is validated
  while appends go on, then one short exclusive lock swaps the tables (see docs/operations.md).`,
  flags: { 'range-size': { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run(context) {
    const rangeSize = integerFlag(context, 'range-size', DEFAULT_RANGE_SIZE, 2);
    const dryRun = context.values['dry-run'] === true;
    const store = asSqlEventStore(await context.openStore());
    const plan = await store.partitionEvents(rangeSize, dryRun);
    if (context.json) return context.printJson(plan);
    if (plan.alreadyPartitioned) return context.print('the events table is partitioned already: nothing to do');
    const what = `${plan.events} event(s) up to position ${plan.lastPosition} as partition [0, ${plan.firstBoundary}), then ranges of ${rangeSize}`;
    context.print(dryRun ? `would partition: ${what}` : `partitioned: ${what}`);
  },
};
