import type { ParkedSelection } from '../event-store/parked-events.interface.js';
import { type CliCommand, type CliContext, integerFlag, UsageError } from './cli-command.js';
import { table } from './text-output.js';

const ACTIONS = ['list', 'retry', 'discard'] as const;

/** An error message on one table row: whitespace folded, at most 100 characters. */
const firstLine = (message: string): string => {
  const text = message.replace(/\s+/g, ' ');
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
};

/** `all`, or global positions given one per argument. */
function selectionOf(raw: string[]): ParkedSelection {
  if (raw.length === 1 && raw[0] === 'all') return 'all';
  if (raw.length && raw.every((value) => /^[1-9]\d*$/.test(value) && Number.isSafeInteger(Number(value)))) return raw.map(Number);
  throw new UsageError(`name the parked events by their global positions, or 'all'; got ${JSON.stringify(raw.join(' '))}`);
}

async function list(context: CliContext, subscription: string): Promise<void> {
  const limit = integerFlag(context, 'limit', 50, 1, 1000);
  const after = integerFlag(context, 'after', 0, 0);
  const store = await context.openStore();
  const parked = await store.parkedEvents.list(subscription, { limit, after });
  if (context.json) return context.printJson(parked);
  if (!parked.length) return context.print(`no events parked by ${JSON.stringify(subscription)}${after ? ` after position ${after}` : ''}`);
  const rows = parked.map((p) => [
    p.globalPosition,
    `${p.streamId}@${p.streamVersion}`,
    p.eventType,
    p.attempts,
    p.retryRequested ? 'yes' : 'no',
    firstLine(p.error ?? '(held behind an earlier event of its stream)'),
  ]);
  table([['POSITION', 'EVENT', 'TYPE', 'ATTEMPTS', 'RETRY ASKED', 'ERROR'], ...rows]).forEach((line) => context.print(line));
  if (parked.length === limit) context.print(`more: --after ${parked[parked.length - 1].globalPosition}`);
}

/** `parked list|retry|discard <subscription> ...`: the dead letters of a subscription. */
export const command: CliCommand = {
  summary: "list a subscription's parked events, mark them for retry, or discard them",
  usage: 'list <subscription> [--limit n] [--after position] | retry <subscription> <position...|all> | discard <subscription> <position...|all>',
  details: `  list     parked events in position order (50 a page; --after continues)
  retry    the node running the subscription delivers each once: on success it goes, on failure it stays parked
  discard  forget them for good (under per-stream parking the stream's held events then go on)`,
  flags: { limit: { type: 'string' }, after: { type: 'string' } },
  positionals: { min: 2, max: 1002, names: '<list|retry|discard> <subscription> [positions]' },
  async run(context) {
    const [action, subscription, ...rest] = context.positionals;
    if (!(ACTIONS as readonly string[]).includes(action))
      throw new UsageError(`'parked' takes list, retry or discard, got ${JSON.stringify(action)}`);
    if (action === 'list') {
      if (rest.length) throw new UsageError(`'parked list' takes one subscription, got ${JSON.stringify(rest.join(' '))}`);
      return list(context, subscription);
    }
    const selection = selectionOf(rest);
    const store = await context.openStore();
    const count =
      action === 'retry' ? await store.parkedEvents.requestRetry(subscription, selection) : await store.parkedEvents.discard(subscription, selection);
    if (context.json) return context.printJson({ subscription, action, count });
    context.print(
      action === 'retry'
        ? `${count} parked event(s) of ${subscription} marked for retry; the node running it delivers them when it next looks`
        : `${count} parked event(s) of ${subscription} discarded`,
    );
  },
};
