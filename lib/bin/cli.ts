#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isEventSourcingError } from '../errors/event-sourcing.error.js';
import { isInvalidIdentifier } from '../errors/invalid-identifier.error.js';
import { isInvalidOptions } from '../errors/invalid-options.error.js';
import { isStoreUnavailable } from '../errors/store-unavailable.error.js';
import type { EventStore } from '../event-store/event-store.interface.js';
import { type CliCommand, type CliContext, EXIT, UsageError } from './cli-command.js';
import { COMMAND_NAMES, isCommandName, loadCommand } from './command-table.js';
import { CONNECTION_FLAGS, CONNECTION_HELP, connectionSettings, openStore } from './store-connection.js';

const BIN = 'nestjs-event-sourcing';

const EXIT_HELP = `Exit codes: 0 ok, 1 failure, 2 usage error, 3 event store unreachable.`;

async function overallUsage(): Promise<string> {
  const lines = [`Usage: ${BIN} <command> [flags]`, '', 'Commands:'];
  const reserved: string[] = [];
  for (const name of COMMAND_NAMES) {
    const command = await loadCommand(name);
    if (command) lines.push(`  ${name.padEnd(8)} ${command.summary}`);
    else reserved.push(name);
  }
  if (reserved.length) lines.push(`  (reserved for a later version: ${reserved.join(', ')})`);
  lines.push('', `Run '${BIN} <command> --help' for its flags.`, '', CONNECTION_HELP, '', EXIT_HELP);
  return lines.join('\n');
}

const commandUsage = (name: string, command: CliCommand): string =>
  [
    `Usage: ${BIN} ${name} ${command.usage}`.trimEnd(),
    '',
    command.summary,
    ...(command.details ? [command.details] : []),
    '',
    CONNECTION_HELP,
    '',
    EXIT_HELP,
  ].join('\n');

/** Runs one command line; resolves with the exit code. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? console.error : console.log)(await overallUsage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!isCommandName(name)) {
    console.error(`Unknown command ${JSON.stringify(name)}.\n\n${await overallUsage()}`);
    return EXIT.usage;
  }
  const command = await loadCommand(name);
  if (!command) {
    console.error(`'${name}' is reserved for a later version of ${BIN} and not available in this one.`);
    return EXIT.usage;
  }
  return runCommand(name, command, rest);
}

async function runCommand(name: string, command: CliCommand, args: string[]): Promise<number> {
  let store: EventStore | undefined;
  const aborter = new AbortController();
  const abort = () => aborter.abort();
  process.once('SIGINT', abort).once('SIGTERM', abort);
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...command.flags, ...CONNECTION_FLAGS, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(commandUsage(name, command));
      return EXIT.ok;
    }
    const expected = command.positionals ?? { min: 0, max: 0, names: '' };
    if (positionals.length < expected.min || positionals.length > expected.max) {
      throw new UsageError(expected.max ? `'${name}' takes ${expected.names}` : `'${name}' takes no arguments, got ${positionals.join(' ')}`);
    }
    const settings = command.usesStore === false ? undefined : connectionSettings(values);
    const context: CliContext = {
      values,
      positionals,
      json: values.json === true,
      print: (line) => void process.stdout.write(`${line}\n`),
      printJson: (value) => void process.stdout.write(`${JSON.stringify(value)}\n`),
      openStore: async () => (store ??= await openStore(settings!)),
      signal: aborter.signal,
    };
    return (await command.run(context)) ?? EXIT.ok;
  } catch (error) {
    return reportFailure(name, command, error);
  } finally {
    process.off('SIGINT', abort).off('SIGTERM', abort);
    await store?.close().catch(() => undefined);
  }
}

function reportFailure(name: string, command: CliCommand, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  const parseError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  if (error instanceof UsageError || parseError || isInvalidOptions(error) || isInvalidIdentifier(error)) {
    console.error(`${message}\n\n${commandUsage(name, command)}`);
    return EXIT.usage;
  }
  if (isStoreUnavailable(error)) {
    console.error(`${name}: event store unreachable: ${message}`);
    return EXIT.unreachable;
  }
  console.error(`${name} failed: ${isEventSourcingError(error) ? `${error.code}: ` : ''}${message}`);
  return EXIT.failure;
}

// A reader that stops early (`| head`) is no failure: the rest of the output is simply not wanted.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(EXIT.ok);
});

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`${BIN} failed: ${error.message}`);
    process.exitCode = EXIT.failure;
  },
);
