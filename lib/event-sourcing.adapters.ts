import type { AggregateManager } from './aggregates/aggregate-manager.js';
import type { CommandRouter } from './aggregates/command-router.js';
import { ClusterNode } from './cluster/cluster-node.js';
import { ClusterTransport } from './cluster/cluster-transport.js';
import type { ClusterSettings } from './cluster/cluster.settings.js';
import { InvalidOptionsError } from './errors/invalid-options.error.js';
import type { EventSerializer } from './events/event-serializer.js';
import type { StateCodec } from './events/state-codec.js';
import { type EventStore, isEventStoreInstance } from './event-store/event-store.interface.js';
import { InMemoryEventStore } from './event-store/memory/in-memory-event-store.js';
import { PostgresEventStore } from './event-store/sql/pg/postgres-event-store.js';
import { EmbeddedEventStore } from './event-store/sql/pglite/embedded-event-store.js';
import { EVENT_STORE_ADAPTERS, type EventStoreOptions, type PubSubOptions, type RegistryMode } from './options.js';
import { ClusterPubSub } from './pubsub/cluster/cluster-pubsub.js';
import { LocalPubSub } from './pubsub/local/local-pubsub.js';
import type { PubSub } from './pubsub/pubsub.interface.js';
import { ClusterRegistry } from './registry/cluster/cluster-registry.js';
import { LocalRegistry } from './registry/local/local-registry.js';
import type { Registry } from './registry/registry.interface.js';
import { ChannelTelemetry } from './telemetry/channel-telemetry.js';
import { NoopTelemetry } from './telemetry/noop-telemetry.js';
import { OpenTelemetry } from './telemetry/open-telemetry.js';
import type { Telemetry } from './telemetry/telemetry.interface.js';
import type { TelemetrySettings } from './telemetry/telemetry.options.js';
import type { OpenTelemetryApiModule } from './telemetry/trace-context.js';
import { listed } from './util/listed.js';
import { loadOptional } from './errors/load-optional.js';
import type { SpreadMembership } from './subscriptions/spread/spread-membership.js';

/*
 * The deployment mode is chosen here and nowhere else: the options name an implementation of
 * each port (EventStore, PubSub, Registry) and these factories build it.
 */

/** Builds the event store adapter named by the options, or hands back a ready instance. */
export function createEventStore(options: EventStoreOptions): EventStore {
  if (isEventStoreInstance(options)) return options;
  switch (options.adapter) {
    case 'memory':
      return new InMemoryEventStore(options.maxPayloadBytes);
    case 'postgres':
      return new PostgresEventStore(options);
    case 'embedded':
      return new EmbeddedEventStore(options);
    default:
      // Unreachable for typed callers; an untyped one (plain JS, a bad cast) gets a clear error.
      throw new InvalidOptionsError([
        `'eventStore.adapter' must be one of ${listed(EVENT_STORE_ADAPTERS)}, got ${JSON.stringify((options as { adapter: unknown }).adapter)}`,
      ]);
  }
}

const ACCEPTED_PUBSUB = `use 'local', 'global' or { transport: Transport.REDIS, options: { host, port } }`;

/** This node's part in a cluster, when the options ask for one (`registry` or `pubsub` `'global'`). */
export async function createClusterNode(settings: ClusterSettings | undefined, store: EventStore): Promise<ClusterNode | null> {
  return settings ? new ClusterNode(settings, store.members, await ClusterTransport.create(settings.listen)) : null;
}

/**
 * Builds the pubsub transport named by the options. Asynchronous because the Redis transport
 * loads `@nestjs/microservices` and `ioredis`, optional peer dependencies, only when asked for.
 */
export async function createPubSub(options: PubSubOptions, nodeName: string, cluster: ClusterNode | null = null): Promise<PubSub> {
  if (options === 'local') return new LocalPubSub(nodeName);
  if (options === 'global') return new ClusterPubSub(clusterFor(`'pubsub' 'global'`, cluster));
  const { Transport } = await loadOptional('@nestjs/microservices', 'the Redis pubsub', () => import('@nestjs/microservices'));
  if (typeof options !== 'object' || options === null || options.transport !== (Transport.REDIS as number)) {
    throw new InvalidOptionsError([`'pubsub' ${JSON.stringify(options)} is not supported; ${ACCEPTED_PUBSUB}`]);
  }
  // Nest's Redis transport loads ioredis itself and ends the process when it is missing: check first.
  await loadOptional('ioredis', 'the Redis pubsub', () => import('ioredis'));
  const { RedisPubSub } = await import('./pubsub/redis/redis-pubsub.js');
  return new RedisPubSub(nodeName, options.options, options.channelPrefix);
}

/** Builds the registry named by the options. */
export function createRegistry(
  mode: RegistryMode,
  router: CommandRouter,
  aggregates: AggregateManager,
  cluster: ClusterNode | null,
  serializer: EventSerializer,
  telemetry: Telemetry,
  codec: StateCodec,
): Registry {
  if (mode === 'local') return new LocalRegistry(router, aggregates);
  return new ClusterRegistry(clusterFor(`'registry' 'global'`, cluster), router, aggregates, serializer, telemetry, codec);
}

function clusterFor(what: string, cluster: ClusterNode | null): ClusterNode {
  if (!cluster) throw new InvalidOptionsError([`${what} needs the cluster mode: set the 'cluster' options ({ listen: { host, port } })`]);
  return cluster;
}

/**
 * Builds the telemetry: spans and metrics when `@opentelemetry/api`, an optional peer dependency,
 * is installed (loaded once, here), diagnostics channels always; nothing when turned off.
 */
export async function createTelemetry(
  settings: TelemetrySettings,
  nodeName: string,
  loadApi: () => Promise<OpenTelemetryApiModule> = () => import('@opentelemetry/api'),
  /** In a tenant's engine, its tenant: an attribute of every span and metric it reports. */
  tenant?: string,
): Promise<Telemetry> {
  if (!settings.enabled) return new NoopTelemetry();
  const channels = new ChannelTelemetry();
  const api = await loadApi().catch(() => undefined);
  return api ? new OpenTelemetry(api, channels, nodeName, tenant) : channels;
}

/**
 * In cluster mode the cluster's members share spread subscriptions: its heartbeats and `nodeTimeout`
 * decide who is live, and every member is taken to run the same subscriptions (as it runs the same
 * aggregates). Elsewhere none: independent nodes heartbeat per subscription in the store.
 */
export function createSpreadMembership(cluster: ClusterNode | null): SpreadMembership | null {
  return cluster && { self: cluster.name, live: async () => cluster.members, leave: async () => undefined };
}
