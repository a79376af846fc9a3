import { StoreDiagnostics } from '../diagnostics/store-diagnostics.js';
import { MAX_STREAM_PAGE } from '../event-store/stream-summary.js';
import { type CliCommand, integerFlag, stringFlag } from './cli-command.js';
import { table } from './text-output.js';

/** `streams`: a page of streams, optionally by id prefix. */
export const command: CliCommand = {
  summary: 'list streams (id, version, last position, last write, deleted or not), a page at a time',
  usage: '[--prefix p] [--limit n] [--after cursor]',
  details: `  --prefix  only stream ids starting with p
  --limit   page size, 1-${MAX_STREAM_PAGE} (default 50)
  --after   the cursor printed after the previous page`,
  flags: { prefix: { type: 'string' }, limit: { type: 'string' }, after: { type: 'string' } },
  async run(context) {
    const limit = integerFlag(context, 'limit', 50, 1, MAX_STREAM_PAGE);
    const store = await context.openStore();
    const page = await new StoreDiagnostics(store).streams({ prefix: stringFlag(context, 'prefix'), after: stringFlag(context, 'after'), limit });
    if (context.json) return context.printJson(page);
    if (page.streams.length === 0) context.print('no streams');
    else {
      const rows = page.streams.map((s) => [s.streamId, s.version, s.lastPosition, s.updatedAt.toISOString(), s.deleted ? 'deleted' : '-']);
      table([['STREAM', 'VERSION', 'LAST POSITION', 'UPDATED AT', 'STATE'], ...rows]).forEach((line) => context.print(line));
    }
    if (page.next !== undefined) context.print(`more: --after ${JSON.stringify(page.next)}`);
  },
};
