import { type AggregateAt, parseAggregateAt } from '../event-store/aggregate-at.js';
import type { EventStore } from '../event-store/event-store.interface.js';

/** Exit codes of the command line, documented in the README. */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** The command failed (the store answered with an error, bad data, ...). */
  failure: 1,
  /** The command line was wrong: unknown command or flag, missing or malformed value. */
  usage: 2,
  /** The event store could not be reached (connection refused, timed out, no such data directory). */
  unreachable: 3,
} as const;

/** A mistake on the command line; exits with {@link EXIT.usage} after printing the message and the command's usage. */
export class UsageError extends Error {}

/** A flag as `node:util` parseArgs declares it. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
}

/** What a command gets from the command line runner. */
export interface CliContext {
  /** Parsed flags: the command's and the connection flags. */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** `--json`: print one JSON document (JSON lines for a stream of results) instead of text. */
  json: boolean;
  /** Writes a line to stdout. */
  print(line: string): void;
  /** Writes a value as JSON on one line of stdout. */
  printJson(value: unknown): void;
  /** Opens the store the connection flags name, read-only use; the runner closes it afterwards. */
  openStore(): Promise<EventStore>;
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM: long-running commands stop and return. */
  signal: AbortSignal;
}

/**
 * One command of the command line, in its own file `<name>.command.ts` exporting `command`.
 * Adding a command is adding such a file (its name is already listed in `command-table.ts`).
 */
export interface CliCommand {
  /** One line for the command list. */
  summary: string;
  /** Arguments after the command name, e.g. `<stream> [--from v] [--limit n]`. */
  usage: string;
  /** More lines of help. */
  details?: string;
  /** The command's own flags (the connection flags, `--json` and `--help` come on top). */
  flags: Record<string, FlagSpec>;
  /** How many positional arguments it takes. @default 0 */
  positionals?: { min: number; max: number; names: string };
  /** Whether it needs the store (all but purely local commands). @default true */
  usesStore?: boolean;
  run(context: CliContext): Promise<number | void>;
}

/** Reads an integer flag within bounds, or its default; a malformed value is a usage error. */
export function integerFlag(context: CliContext, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = context.values[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Reads a string flag. */
export const stringFlag = (context: CliContext, name: string): string | undefined => {
  const value = context.values[name];
  return typeof value === 'string' ? value : undefined;
};

/** Reads `--at`: a stream version or an ISO time; malformed, it is a usage error (`InvalidOptionsError`). */
export const atFlag = (context: CliContext): AggregateAt | undefined => {
  const raw = stringFlag(context, 'at');
  return raw === undefined ? undefined : parseAggregateAt(raw);
};
