import { UsageError, type CliCommand } from './cli-command.js';
import { printControlState } from './control-output.js';
import type { ResetTarget } from '../event-store/subscription-control.interface.js';
import { isoTime } from '../event-store/store-strings.js';

function targetOf(raw: string | boolean | undefined): ResetTarget {
  if (raw === undefined || raw === 'origin' || raw === 'current') return raw ?? 'origin';
  if (typeof raw === 'string' && /^\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  const time = typeof raw === 'string' ? isoTime(raw) : undefined;
  if (time) return time;
  throw new UsageError(`--to must be 'origin', 'current', a global position or an ISO time (2026-12-06T08:00:00Z), got ${JSON.stringify(raw)}`);
}

/** `reset <subscription>`: moves a subscription's checkpoint, wherever it runs. */
export const command: CliCommand = {
  summary: "move a subscription's checkpoint (its @BeforeReset clears the read model)",
  usage: '<subscription> [--to origin|current|position|time]',
  details: `  --to  where the checkpoint goes: origin (default), current (the head now), a global position, or an ISO time
        (just before the first event recorded at or after it)`,
  flags: { to: { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<subscription>' },
  async run(context) {
    const to = targetOf(context.values.to);
    const store = await context.openStore();
    const state = await store.control.requestReset(context.positionals[0], to);
    printControlState(context, state, `reset to ${state.resetTo} requested`);
  },
};
