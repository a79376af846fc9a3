import type { ParkedSelection } from '../../event-store/parked-events.interface.js';
import { InvalidOptionsError } from '../../errors/invalid-options.error.js';

/** Throws `InvalidOptionsError` unless `selection` is `'all'` or a list of global positions (positive integers). */
export function assertParkedSelection(selection: unknown): asserts selection is ParkedSelection {
  if (selection === 'all') return;
  if (Array.isArray(selection) && selection.every((position) => Number.isSafeInteger(position) && position > 0)) return;
  throw new InvalidOptionsError([
    `parked events are chosen by their global positions (an array of positive integers) or 'all', got ${JSON.stringify(selection)}`,
  ]);
}

/** Throws `InvalidOptionsError` for list options that are not positive integers (`after` may be 0). */
export function assertListOptions(options: { limit?: unknown; after?: unknown }): void {
  const problems: string[] = [];
  if (options.limit !== undefined && !(Number.isSafeInteger(options.limit) && (options.limit as number) > 0)) {
    problems.push(`'limit' must be a positive integer, got ${JSON.stringify(options.limit)}`);
  }
  if (options.after !== undefined && !(Number.isSafeInteger(options.after) && (options.after as number) >= 0)) {
    problems.push(`'after' must be a global position (an integer from 0), got ${JSON.stringify(options.after)}`);
  }
  if (problems.length) throw new InvalidOptionsError(problems);
}
