import type { StreamRemoval } from '../event-store/stream-removal.js';
import { type CliContext, EXIT, UsageError } from './cli-command.js';

/** The flags every removing command takes: a plan only, or the confirmation to carry it out. */
export const REMOVAL_FLAGS = { 'dry-run': { type: 'boolean' }, yes: { type: 'boolean', short: 'y' } } as const;

export const REMOVAL_HELP = `  --dry-run  show what would be removed; change nothing
  --yes, -y  carry it out; without it the command shows the plan and changes nothing (exit 2)`;

/** True when the command may change the store: `--yes` given and no `--dry-run`. */
export function confirmed(context: CliContext): boolean {
  if (context.values['dry-run'] && context.values.yes) throw new UsageError('--dry-run and --yes exclude each other');
  return context.values.yes === true;
}

const versions = (removal: StreamRemoval): string =>
  removal.removedVersions ? ` (versions ${removal.removedVersions.from}-${removal.removedVersions.to})` : '';

/**
 * Prints what a removal did, or (a plan) would do; an unconfirmed plan exits with the usage code
 * so a script that forgot `--yes` does not go on as if the events were gone.
 */
export function printRemoval(context: CliContext, removal: StreamRemoval, action: string, asked: boolean): number {
  const unconfirmed = removal.dryRun && asked;
  if (context.json) context.printJson(removal);
  else {
    const would = removal.dryRun ? 'would ' : '';
    const tombstone = removal.deleted ? `, ends with its tombstone at version ${removal.version}` : `, keeps version ${removal.version}`;
    context.print(`${removal.streamId}: ${action}${tombstone}; ${would}remove ${removal.removed} event(s)${versions(removal)}`);
    if (unconfirmed) context.print('nothing changed: run again with --yes to carry it out');
  }
  return unconfirmed ? EXIT.usage : EXIT.ok;
}
