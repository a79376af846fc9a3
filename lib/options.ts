import type { Type } from '@nestjs/common';
import type { LiveAggregatesOptions } from './aggregates/live-aggregates.options.js';
import type { CommandOptions } from './commands/command.options.js';
import type { EventStore } from './event-store/event-store.interface.js';
import type { MemoryStoreOptions } from './event-store/memory/memory-store.options.js';
import type { PostgresReplicaOptions, PostgresStoreOptions } from './event-store/sql/pg/postgres-store.options.js';
import type { EmbeddedStoreOptions } from './event-store/sql/pglite/embedded-store.options.js';
import type { EventUpcaster } from './events/event-upcaster.interface.js';
import type { StateCodec } from './events/state-codec.js';
import type { RedisPubSubOptions } from './pubsub/redis/redis-pubsub.options.js';
import type { ClusterOptions } from './registry/cluster/cluster-registry.options.js';
import type { SubscriptionsOptions } from './subscriptions/subscriptions.options.js';
import type { TelemetryOptions } from './telemetry/telemetry.options.js';
import type { TenantsOptions } from './tenants/tenants.options.js';

export type { SqlStoreOptions } from './event-store/sql/sql-store.options.js';
export type {
  ClusterOptions,
  EmbeddedStoreOptions,
  MemoryStoreOptions,
  PostgresReplicaOptions,
  PostgresStoreOptions,
  RedisPubSubOptions,
  TelemetryOptions,
  TenantsOptions,
};

/** Settings of one of the event store adapters. */
export type EventStoreAdapterOptions = PostgresStoreOptions | EmbeddedStoreOptions | MemoryStoreOptions;
/** The adapter names, each owned by its adapter's options type. */
export const EVENT_STORE_ADAPTERS = ['memory', 'postgres', 'embedded'] as const satisfies readonly EventStoreAdapterOptions['adapter'][];

/** Which event store to use, or a ready instance (not closed on shutdown). */
export type EventStoreOptions = EventStoreAdapterOptions | EventStore;

/** Where aggregate instances live: any node (optimistic concurrency), or one owner in a cluster. */
export const REGISTRY_MODES = ['local', 'global'] as const;
/** One of {@link REGISTRY_MODES}. */
export type RegistryMode = (typeof REGISTRY_MODES)[number];

/** Pub/sub modes named by a string; Redis is named by its transport options. */
export const PUBSUB_MODES = ['local', 'global'] as const;
/** Pub/sub between nodes: in-process, cluster-wide, or through Redis. */
export type PubSubOptions = (typeof PUBSUB_MODES)[number] | RedisPubSubOptions;

/** Options of `EventSourcingModule.forRoot`. */
export interface EventSourcingModuleOptions {
  /** Where events live. */
  eventStore: EventStoreOptions;
  /** Where aggregate instances live: this process, or one owner in a cluster. @default 'local' */
  registry?: RegistryMode;
  /** @default 'local' */
  pubsub?: PubSubOptions;
  /** How this node joins the others; required when `registry` or `pubsub` is `'global'`. */
  cluster?: ClusterOptions;
  /** Name of this node in logs and between nodes. @default `${hostname}-${pid}` */
  nodeName?: string;
  /** Dispatch defaults. */
  commands?: CommandOptions;
  /** Memory bounds and freshness of live aggregate instances. */
  aggregates?: LiveAggregatesOptions;
  /** Defaults of every subscription. */
  subscriptions?: SubscriptionsOptions;
  /** Lift stored events written with older schema versions. @default [] */
  upcasters?: EventUpcaster[];
  /** Event classes to register besides those named by `@Apply` and `@On`. @default [] */
  events?: Type[];
  /**
   * Classes of the values held in aggregate and process-manager state (value objects), revived
   * with their prototype from snapshots, returned state and process-manager state. @default []
   */
  stateClasses?: Type[];
  /** How that state is stored and revived. @default a `TaggedStateCodec` of `stateClasses` */
  stateCodec?: StateCodec;
  /** OpenTelemetry spans and metrics, and diagnostics channels. @default { enabled: true } */
  telemetry?: TelemetryOptions;
  /**
   * Serve many tenants, each in a store of its own (by default a schema per tenant): every command
   * and read names its tenant (`{ tenant }`), and each tenant's subscriptions and process managers
   * run on its store alone. Needs `registry: 'local'` and a `pubsub` other than `'global'`.
   * @default undefined (one store, no tenants)
   */
  tenants?: TenantsOptions;
}
