import { hostname } from 'node:os';
import { InvalidOptionsError } from './errors/invalid-options.error.js';
import { isEventStoreInstance } from './event-store/create-event-store.js';
import type { EventSourcingModuleOptions, EventStoreOptions } from './options.js';

/** Options with every default filled in. */
export type ResolvedOptions = Required<Omit<EventSourcingModuleOptions, 'commands' | 'aggregates' | 'subscriptions'>> & {
  commands: Required<NonNullable<EventSourcingModuleOptions['commands']>>;
  aggregates: Required<NonNullable<EventSourcingModuleOptions['aggregates']>>;
  subscriptions: Required<NonNullable<EventSourcingModuleOptions['subscriptions']>>;
};

/** Injection token of the {@link ResolvedOptions}. */
export const EVENT_SOURCING_OPTIONS = Symbol('EventSourcingOptions');

const ADAPTERS = ['memory', 'postgres', 'embedded'];

/** Checks the options and fills defaults; throws `InvalidOptionsError` naming every bad key. */
export function resolveOptions(raw: EventSourcingModuleOptions): ResolvedOptions {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => ok || problems.push(message);
  const positive = (key: string, value: unknown) =>
    check(value === undefined || (Number.isFinite(value) && (value as number) > 0), `'${key}' must be a positive number, got ${JSON.stringify(value)}`);

  if (!raw || typeof raw !== 'object') throw new InvalidOptionsError(['options must be an object']);
  const store = raw.eventStore as { adapter?: unknown } | undefined;
  check(
    (!!store && isEventStoreInstance(store as EventStoreOptions)) || ADAPTERS.includes(store?.adapter as string),
    `'eventStore.adapter' must be one of ${ADAPTERS.map((a) => `'${a}'`).join(', ')} (or pass an EventStore instance), got ${JSON.stringify(store?.adapter)}`,
  );
  check(
    raw.registry === undefined || raw.registry === 'local' || raw.registry === 'global',
    `'registry' must be 'local' or 'global', got ${JSON.stringify(raw.registry)}`,
  );
  const pubsub = raw.pubsub;
  check(
    pubsub === undefined || pubsub === 'local' || pubsub === 'global' || (typeof pubsub === 'object' && pubsub.transport !== undefined),
    `'pubsub' must be 'local', 'global' or { transport: Transport.REDIS, options: { host, port } }, got ${JSON.stringify(pubsub)}`,
  );
  const consistency = raw.commands?.consistency;
  check(
    consistency === undefined || consistency === 'eventual' || consistency === 'strong',
    `'commands.consistency' must be 'eventual' or 'strong', got ${JSON.stringify(consistency)}`,
  );
  const policy = raw.subscriptions?.errorPolicy;
  check(
    policy === undefined || ['retry', 'skip', 'stop'].includes(policy),
    `'subscriptions.errorPolicy' must be 'retry', 'skip' or 'stop', got ${JSON.stringify(policy)}`,
  );
  check(
    raw.commands?.middleware === undefined || Array.isArray(raw.commands.middleware),
    `'commands.middleware' must be an array of middleware objects`,
  );
  for (const [group, values] of Object.entries({ commands: raw.commands, aggregates: raw.aggregates, subscriptions: raw.subscriptions })) {
    for (const [key, value] of Object.entries(values ?? {})) {
      if (key === 'invalidation') check(typeof value === 'boolean', `'${group}.${key}' must be true or false`);
      else if (!['middleware', 'consistency', 'errorPolicy'].includes(key)) positive(`${group}.${key}`, value);
    }
  }
  if (problems.length) throw new InvalidOptionsError(problems);

  return {
    eventStore: raw.eventStore,
    registry: raw.registry ?? 'local',
    pubsub: raw.pubsub ?? 'local',
    nodeName: raw.nodeName ?? `${hostname()}-${process.pid}`,
    commands: { timeout: 5000, maxAttempts: 10, consistency: 'eventual', middleware: [], ...raw.commands },
    aggregates: { idleTimeout: 300_000, maxInstances: 10_000, invalidation: true, ...raw.aggregates },
    subscriptions: {
      errorPolicy: 'retry',
      maxAttempts: 5,
      retryDelay: 100,
      pollInterval: 1000,
      lockRetryInterval: 1000,
      batchSize: 500,
      ...raw.subscriptions,
    },
    upcasters: raw.upcasters ?? [],
    events: raw.events ?? [],
  };
}
