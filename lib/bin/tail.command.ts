import type { EventStore } from '../event-store/event-store.interface.js';
import { type CliCommand, type CliContext, integerFlag } from './cli-command.js';
import { oneLine } from './text-output.js';

/** Polls this often when no notification arrives: notifications are only wake-ups and can be lost. */
const POLL_MS = 1000;
const PAGE = 500;

/** `tail`: follows new events in global order until interrupted. */
export const command: CliCommand = {
  summary: 'follow events as they are written, in global order, until Ctrl-C',
  usage: '[--from position]',
  details: '  --from  start after this global position (default: the current head, so only new events; 0 for everything)',
  flags: { from: { type: 'string' } },
  async run(context) {
    const store = await context.openStore();
    const from = integerFlag(context, 'from', await store.headPosition(), 0);
    if (!context.json) context.print(`following events after position ${from} (Ctrl-C to stop)`);
    await follow(store, from, context);
  },
};

async function follow(store: EventStore, from: number, context: CliContext): Promise<void> {
  const reader = store.openAllReader(from);
  let wake: () => void = () => undefined;
  const unsubscribe = store.onAppended(() => wake());
  const stop = () => wake();
  context.signal.addEventListener('abort', stop);
  try {
    while (!context.signal.aborted) {
      const page = await reader.next(PAGE);
      for (const event of page) {
        if (context.json) context.printJson(event);
        else context.print(`${event.globalPosition}  ${event.streamId}@${event.streamVersion}  ${event.eventType}  ${oneLine(event.data)}`);
      }
      if (page.length === PAGE || context.signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    unsubscribe();
    context.signal.removeEventListener('abort', stop);
  }
}
