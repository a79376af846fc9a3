import type { CliCommand } from './cli-command.js';

/**
 * Every command name, in the order help lists them. Each is loaded from `./<name>.command.js`; a
 * name whose file is absent is reserved: the command line refuses it as not available yet.
 */
export const COMMAND_NAMES = [
  'status',
  'streams',
  'events',
  'state',
  'tail',
  'migrate',
  'reset',
  'restart',
  'pause',
  'resume',
  'parked',
  'delete',
  'truncate',
  'forget',
  'partition-events',
  'close-books',
] as const;

/** Loads a command, or undefined when its name is reserved but not shipped in this version. */
export async function loadCommand(name: string): Promise<CliCommand | undefined> {
  try {
    const module = (await import(`./${name}.command.js`)) as { command: CliCommand };
    return module.command;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(`${name}.command.js`)) {
      return undefined;
    }
    throw error;
  }
}

/** True when `name` is a command of the table. */
export const isCommandName = (name: string): boolean => (COMMAND_NAMES as readonly string[]).includes(name);
