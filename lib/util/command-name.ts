/**
 * The class name of a dispatched command, for errors, spans and channel messages. Dispatch takes
 * anything a caller passes (null included) and refuses what is not a command only after this is read.
 */
export const commandNameOf = (command: unknown): string =>
  (typeof command === 'object' || typeof command === 'function') && command !== null ? (command.constructor?.name ?? 'Object') : String(command);
