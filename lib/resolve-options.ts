import { hostname } from 'node:os';
import type { LiveAggregatesSettings } from './aggregates/live-aggregates.options.js';
import { type CommandSettings, DEFAULT_IDEMPOTENCY_RETENTION } from './commands/command.options.js';
import { CONSISTENCY_LEVELS, ERROR_POLICIES } from './decorators/subscription-options.js';
import { InvalidOptionsError } from './errors/invalid-options.error.js';
import { isEventStoreInstance } from './event-store/event-store.interface.js';
import type { EventUpcaster } from './events/event-upcaster.interface.js';
import { TaggedStateCodec } from './events/tagged-state-codec.js';
import { EVENT_STORE_ADAPTERS, type EventSourcingModuleOptions, PUBSUB_MODES, REGISTRY_MODES } from './options.js';
import type { ClusterSettings } from './cluster/cluster.settings.js';
import { clusterProblems, resolveClusterOptions } from './registry/cluster/resolve-cluster-options.js';
import type { SubscriptionsSettings } from './subscriptions/subscriptions.options.js';
import type { TelemetrySettings } from './telemetry/telemetry.options.js';
import { listed } from './util/listed.js';
import { tenantsProblems } from './tenants/tenants-problems.js';
import type { TenantsSettings } from './tenants/tenants.options.js';

/** Options with every default filled in. */
export type ResolvedOptions = Required<
  Omit<EventSourcingModuleOptions, 'commands' | 'aggregates' | 'subscriptions' | 'cluster' | 'telemetry' | 'tenants'>
> & {
  /** Present in cluster mode (`registry` or `pubsub` `'global'`). */
  cluster?: ClusterSettings;
  commands: CommandSettings;
  aggregates: LiveAggregatesSettings;
  subscriptions: SubscriptionsSettings;
  telemetry: TelemetrySettings;
  /** Present when the module serves tenants. */
  tenants?: TenantsSettings;
};

/** Injection token of the {@link ResolvedOptions}. */
export const EVENT_SOURCING_OPTIONS = Symbol('EventSourcingOptions');

const oneOf = (values: readonly unknown[], value: unknown) => value === undefined || values.includes(value);
const isUpcaster = (value: Partial<EventUpcaster> | null): boolean =>
  typeof value?.eventType === 'string' && Number.isSafeInteger(value.fromVersion) && typeof value.upcast === 'function';
const GROUPS = ['commands', 'aggregates', 'subscriptions'] as const;
/** Keys of the groups that are not positive numbers, with their own checks below. */
const NON_NUMERIC = ['middleware', 'consistency', 'errorPolicy', 'invalidation'];

function problemsOf(raw: EventSourcingModuleOptions): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => ok || problems.push(message);
  const store = raw.eventStore as { adapter?: unknown } | undefined;
  check(
    isEventStoreInstance(store) || oneOf(EVENT_STORE_ADAPTERS, store?.adapter ?? null),
    `'eventStore.adapter' must be one of ${listed(EVENT_STORE_ADAPTERS)} (or pass an EventStore instance), got ${JSON.stringify(store?.adapter)}`,
  );
  check(
    store?.adapter !== 'memory' || (store as { partitioning?: unknown }).partitioning === undefined,
    `'eventStore.partitioning' needs the postgres or embedded adapter: the memory store keeps no table to partition`,
  );
  check(oneOf(REGISTRY_MODES, raw.registry), `'registry' must be one of ${listed(REGISTRY_MODES)}, got ${JSON.stringify(raw.registry)}`);
  const pubsub = raw.pubsub;
  check(
    oneOf(PUBSUB_MODES, pubsub) || (typeof pubsub === 'object' && pubsub !== null && pubsub.transport !== undefined),
    `'pubsub' must be one of ${listed(PUBSUB_MODES)} or { transport: Transport.REDIS, options: { host, port } }, got ${JSON.stringify(pubsub)}`,
  );
  const needed = [raw.registry === 'global' && `'registry' 'global'`, pubsub === 'global' && `'pubsub' 'global'`].filter(Boolean).join(' and ');
  if (needed) problems.push(...clusterProblems(raw.cluster, needed));
  const consistency = raw.commands?.consistency;
  check(
    oneOf(CONSISTENCY_LEVELS, consistency),
    `'commands.consistency' must be one of ${listed(CONSISTENCY_LEVELS)}, got ${JSON.stringify(consistency)}`,
  );
  const policy = raw.subscriptions?.errorPolicy;
  check(oneOf(ERROR_POLICIES, policy), `'subscriptions.errorPolicy' must be one of ${listed(ERROR_POLICIES)}, got ${JSON.stringify(policy)}`);
  check(
    raw.commands?.middleware === undefined ||
      (Array.isArray(raw.commands.middleware) &&
        raw.commands.middleware.every((m) => typeof m === 'function' || (typeof m === 'object' && m !== null))),
    `'commands.middleware' must be an array of middleware objects or classes`,
  );
  const telemetry = raw.telemetry;
  check(
    telemetry === undefined || (typeof telemetry === 'object' && telemetry !== null && [undefined, true, false].includes(telemetry.enabled)),
    `'telemetry' must be { enabled: true | false }, got ${JSON.stringify(telemetry)}`,
  );
  check(
    raw.upcasters === undefined || (Array.isArray(raw.upcasters) && raw.upcasters.every(isUpcaster)),
    `'upcasters' must be an array of { eventType, fromVersion, upcast(data, metadata) }`,
  );
  const { stateClasses, stateCodec } = raw;
  check(
    stateClasses === undefined || (Array.isArray(stateClasses) && stateClasses.every((type) => typeof type === 'function')),
    `'stateClasses' must be an array of classes`,
  );
  check(
    stateCodec === undefined || (typeof stateCodec?.encode === 'function' && typeof stateCodec.decode === 'function'),
    `'stateCodec' must be a StateCodec: an object with encode(state) and decode(data)`,
  );
  const invalidation = raw.aggregates?.invalidation;
  check(invalidation === undefined || typeof invalidation === 'boolean', `'aggregates.invalidation' must be true or false`);
  for (const group of GROUPS) {
    for (const [key, value] of Object.entries(raw[group] ?? {})) {
      if (NON_NUMERIC.includes(key)) continue;
      check(
        value === undefined || (Number.isFinite(value) && (value as number) > 0),
        `'${group}.${key}' must be a positive number, got ${JSON.stringify(value)}`,
      );
    }
  }
  problems.push(...tenantsProblems(raw));
  return problems;
}

/** Checks the options and fills defaults; throws `InvalidOptionsError` naming every bad key. */
export function resolveOptions(raw: EventSourcingModuleOptions): ResolvedOptions {
  if (!raw || typeof raw !== 'object') throw new InvalidOptionsError(['options must be an object']);
  const problems = problemsOf(raw);
  if (problems.length) throw new InvalidOptionsError(problems);
  const nodeName = raw.cluster?.nodeName ?? raw.nodeName ?? `${hostname()}-${process.pid}`;
  const clustered = raw.registry === 'global' || raw.pubsub === 'global';
  const stateClasses = raw.stateClasses ?? [];
  return {
    eventStore: raw.eventStore,
    registry: raw.registry ?? 'local',
    pubsub: raw.pubsub ?? 'local',
    nodeName,
    cluster: clustered ? resolveClusterOptions(raw.cluster!, nodeName) : undefined,
    commands: {
      timeout: 5000,
      maxAttempts: 10,
      consistency: 'eventual',
      middleware: [],
      idempotencyRetention: DEFAULT_IDEMPOTENCY_RETENTION,
      ...raw.commands,
    },
    aggregates: { idleTimeout: 300_000, maxInstances: 10_000, invalidation: true, ...raw.aggregates },
    subscriptions: {
      errorPolicy: 'retry',
      maxAttempts: 5,
      retryDelay: 100,
      pollInterval: 1000,
      lockRetryInterval: 1000,
      memberTimeout: 5000,
      batchSize: 500,
      schedulePollInterval: 1000,
      ...raw.subscriptions,
    },
    upcasters: raw.upcasters ?? [],
    stateClasses,
    stateCodec: raw.stateCodec ?? new TaggedStateCodec(stateClasses),
    events: raw.events ?? [],
    telemetry: { enabled: true, ...raw.telemetry },
    tenants: raw.tenants && { initial: [], refreshInterval: 5000, ...raw.tenants },
  };
}
