import { asSqlEventStore } from '../event-store/sql/sql-event-store.js';
import { type CliCommand, UsageError } from './cli-command.js';
import { isoTime } from '../event-store/store-strings.js';

function cutOf(raw: string | boolean | undefined): number | Date {
  if (typeof raw === 'string' && /^\d+$/.test(raw) && Number.isSafeInteger(Number(raw)) && Number(raw) > 0) return Number(raw);
  const time = typeof raw === 'string' ? isoTime(raw) : undefined;
  if (time) return time;
  throw new UsageError(`--before must be a global position or an ISO time (2026-12-06T08:00:00Z), got ${JSON.stringify(raw)}`);
}

/** `close-books`: archives the partitions of a partitioned store wholly below a position or time. */
export const command: CliCommand = {
  summary: 'archive the partitions wholly below a position or time, once snapshots cover every stream there',
  usage: '--before <position|time> [--dry-run]',
  details: `  --before   a global position, or an ISO time (the first event recorded at or after it)
  --dry-run  check and list what would be archived, change nothing
  Refused, nothing detached, unless every stream with events there has a snapshot at or after its last
  version there. Archived partitions go to the schema <schema>_archive: dump them, then drop them
  (docs/operations.md). Readers of all events start at the cut afterwards.`,
  flags: { before: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run(context) {
    const before = cutOf(context.values.before);
    const dryRun = context.values['dry-run'] === true;
    const store = asSqlEventStore(await context.openStore());
    const closed = await store.closeBooks(before, { dryRun });
    if (context.json) return context.printJson(closed);
    if (!closed.partitions.length) return context.print(`no partition lies wholly below that: books closed before position ${closed.before}`);
    const names = closed.partitions.map((p) => `${p.name} [${p.lower}, ${p.upper})`).join(', ');
    context.print(dryRun ? `would archive to ${closed.archiveSchema}: ${names}` : `archived to ${closed.archiveSchema}: ${names}`);
    context.print(`books ${dryRun ? 'would be' : 'are'} closed before position ${closed.before}`);
    if (closed.behind.length) context.print(`subscriptions behind the cut, going on at it without the events between: ${closed.behind.join(', ')}`);
  },
};
