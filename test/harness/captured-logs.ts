import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';

/** One line written through Nest's `Logger`. */
export interface LogLine {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  context?: string;
  message: string;
}

/**
 * Routes every Nest `Logger` of this test process into an array, so a test can read what an
 * operator would see. Call `restore()` afterwards.
 */
export function captureLogs(): { lines: LogLine[]; restore: () => void } {
  const lines: LogLine[] = [];
  const record =
    (level: LogLine['level']) =>
    (message: unknown, ...rest: unknown[]) => {
      const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
      lines.push({ level, context, message: String(message) });
    };
  const sink: LoggerService = {
    log: record('log'),
    error: record('error'),
    warn: record('warn'),
    debug: record('debug'),
    verbose: record('verbose'),
    fatal: record('fatal'),
  };
  Logger.overrideLogger(sink);
  return { lines, restore: () => Logger.overrideLogger(new ConsoleLogger()) };
}
