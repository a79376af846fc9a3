import { inspect } from 'node:util';
import { Logger, type LoggerService } from '@nestjs/common';
import { describeAt } from '../event-store/aggregate-at.js';
import { applicationReader } from './application-module.js';
import { atFlag, type CliCommand, stringFlag, UsageError } from './cli-command.js';

/** The loader's notes (a snapshot passed over) go to stderr, so stdout holds the state alone. */
const STDERR_LOGGER: LoggerService = {
  log: () => undefined,
  warn: (message: unknown) => console.error(String(message)),
  error: (message: unknown) => console.error(String(message)),
};

/** `state <stream> --module <file>`: an aggregate's state, now or as it was at a version or time, built by the application's own classes. */
export const command: CliCommand = {
  summary: "show an aggregate's state, now or as it was at a version or time, from the application's compiled classes",
  usage: '<stream> --module <file> [--at version|time] [--aggregate name]',
  details: `  --module     the application's compiled ES module (JavaScript) exporting its @Aggregate classes, and
               under these names, when it has them, its upcasters, stateClasses and stateCodec options
  --at         a stream version, or an ISO time (the last event recorded at or before it, on the store's clock)
  --aggregate  the aggregate class's name, when several share the prefix the stream id starts with
  The state is built as the application loads it (snapshot at or below the point, then events), and
  printed; --json writes it as its state codec stores it in a snapshot. Nothing is written.`,
  flags: { module: { type: 'string' }, at: { type: 'string' }, aggregate: { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<stream>' },
  async run(context) {
    const file = stringFlag(context, 'module');
    if (file === undefined) throw new UsageError("'state' needs --module <file>: the application's compiled module exporting its @Aggregate classes");
    const at = atFlag(context);
    Logger.overrideLogger(STDERR_LOGGER);
    const store = await context.openStore();
    const { reader, codec } = await applicationReader(file, store);
    const streamId = context.positionals[0];
    const loaded = await reader.loadStream(streamId, { at, aggregate: stringFlag(context, 'aggregate') });
    const { aggregate, version, state } = loaded;
    if (context.json) return context.printJson({ streamId, aggregate, version, state: codec.encode(state) });
    context.print(`${aggregate} ${streamId} at version ${version}${at?.time ? ` (as of ${describeAt(at)})` : ''}`);
    context.print(inspect(state, { depth: null, colors: false, breakLength: 100 }));
  },
};
