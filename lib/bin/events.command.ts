import { type ShownEvent, StoreDiagnostics } from '../diagnostics/store-diagnostics.js';
import { describeAt } from '../event-store/aggregate-at.js';
import { MAX_STREAM_PAGE } from '../event-store/stream-summary.js';
import { atFlag, type CliCommand, integerFlag } from './cli-command.js';
import { oneLine, table } from './text-output.js';

/** `events <stream>`: a page of one stream's events. */
export const command: CliCommand = {
  summary: "show a stream's events, a page at a time, all of them or up to a version or time",
  usage: '<stream> [--from v] [--limit n] [--at version|time]',
  details: `  --from   first stream version (default 1)
  --limit  page size, 1-${MAX_STREAM_PAGE} (default 50)
  --at     only the events up to this stream version, or recorded at or before this ISO time (the store's clock)`,
  flags: { from: { type: 'string' }, limit: { type: 'string' }, at: { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<stream>' },
  async run(context) {
    const from = integerFlag(context, 'from', 1, 1);
    const limit = integerFlag(context, 'limit', 50, 1, MAX_STREAM_PAGE);
    const at = atFlag(context);
    const store = await context.openStore();
    const page = await new StoreDiagnostics(store).events(context.positionals[0], { from, limit, at });
    if (context.json) return context.printJson(page);
    if (at?.time) context.print(`as of ${describeAt(at)}: up to version ${page.until}`);
    if (page.events.length === 0) context.print(`no events in ${JSON.stringify(page.streamId)} from version ${from}`);
    else {
      const dataOf = (e: ShownEvent) => oneLine(e.data) + (e.forgottenFields?.length ? ` (forgotten: ${e.forgottenFields.join(', ')})` : '');
      const rows = page.events.map((e) => [e.streamVersion, e.globalPosition, e.eventType, e.createdAt.toISOString(), dataOf(e)]);
      table([['VERSION', 'POSITION', 'TYPE', 'CREATED AT', 'DATA'], ...rows]).forEach((line) => context.print(line));
    }
    if (page.next !== undefined) context.print(`more: --from ${page.next}`);
  },
};
