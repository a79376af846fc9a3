import type { Transport } from '@nestjs/microservices';
import type { Pool, PoolConfig } from 'pg';
import type { CommandMiddleware } from './commands/command-middleware.interface.js';
import type { ErrorPolicy } from './decorators/subscription-options.js';
import type { EventStore } from './event-store/event-store.interface.js';
import type { EventUpcaster } from './event-store/event-upcaster.interface.js';

/** Settings shared by the SQL adapters. */
export interface SqlStoreOptions {
  /** Schema holding the store's tables; stores in different schemas never see each other. @default 'event_store' */
  schema?: string;
  /** Run migrations when the module starts. @default true */
  autoMigrate?: boolean;
  /** Largest serialized event or snapshot accepted, in bytes. @default 1048576 */
  maxPayloadBytes?: number;
}

/** The PostgreSQL adapter, on `pg`. */
export interface PostgresStoreOptions extends SqlStoreOptions {
  adapter: 'postgres';
  /** e.g. `postgres://postgres@127.0.0.1:5432/app` */
  connectionString?: string;
  /** Extra `pg` pool settings. */
  pool?: PoolConfig;
  /** Your own pool; it is not closed on shutdown. */
  existingPool?: Pool;
  /** @default 10 */
  poolSize?: number;
}

/** The embedded adapter: real PostgreSQL in WebAssembly (PGlite), one process, no server. */
export interface EmbeddedStoreOptions extends SqlStoreOptions {
  adapter: 'embedded';
  /** Data directory; omit for an in-memory database. @default undefined */
  dataDir?: string;
}

/** The in-memory adapter: for tests and demos; data ends with the process. */
export interface MemoryStoreOptions {
  adapter: 'memory';
  /** @default 1048576 */
  maxPayloadBytes?: number;
}

/** Which event store to use, or a ready instance (not closed on shutdown). */
export type EventStoreOptions = PostgresStoreOptions | EmbeddedStoreOptions | MemoryStoreOptions | EventStore;

/** Redis pub/sub through `@nestjs/microservices`. */
export interface RedisPubSubOptions {
  transport: Transport.REDIS;
  /**
   * Connection settings passed to Nest's Redis transport. Reconnection is on by default:
   * `retryAttempts: Infinity`, `retryDelay: 500`; a publish gives up after `commandTimeout: 1000`.
   */
  options?: { host?: string; port?: number; password?: string; username?: string; db?: number; tls?: object; [key: string]: unknown };
  /**
   * Prepended to every channel name, so applications sharing one Redis never hear each other
   * (a strong dispatch must not be released by another application's projector). @default ''
   */
  channelPrefix?: string;
}

/** Pub/sub between nodes: in-process, cluster-wide, or through Redis. */
export type PubSubOptions = 'local' | 'global' | RedisPubSubOptions;

/** Options of `EventSourcingModule.forRoot`. */
export interface EventSourcingModuleOptions {
  /** Where events live. */
  eventStore: EventStoreOptions;
  /** Where aggregate instances live: this process, or one owner in a cluster. @default 'local' */
  registry?: 'local' | 'global';
  /** @default 'local' */
  pubsub?: PubSubOptions;
  /** Name of this node in logs and between nodes. @default `${hostname}-${pid}` */
  nodeName?: string;
  commands?: {
    /** Default dispatch timeout in ms. @default 5000 */
    timeout?: number;
    /** Attempts of a command whose append conflicted. @default 10 */
    maxAttempts?: number;
    /** @default 'eventual' */
    consistency?: 'eventual' | 'strong';
    /** Hooks around every dispatch, run in order. @default [] */
    middleware?: CommandMiddleware[];
  };
  aggregates?: {
    /** Evict an instance unused for this many ms. @default 300000 */
    idleTimeout?: number;
    /** Most live instances per process; the least recently used is evicted. @default 10000 */
    maxInstances?: number;
    /**
     * Mark an instance stale when another node announces a write to its stream, so it catches up
     * before its next command instead of after a conflict. @default true
     */
    invalidation?: boolean;
  };
  subscriptions?: {
    /** @default 'retry' */
    errorPolicy?: ErrorPolicy;
    /** Attempts under the 'retry' policy before the subscription stops. @default 5 */
    maxAttempts?: number;
    /** First retry delay in ms, doubled each attempt. @default 100 */
    retryDelay?: number;
    /** Safety-net poll for missed wake-ups, in ms. @default 1000 */
    pollInterval?: number;
    /** How often a standby process tries to take a subscription over, in ms. @default 1000 */
    lockRetryInterval?: number;
    /** Events read per page. @default 500 */
    batchSize?: number;
  };
  /** Lift stored events written with older schema versions. @default [] */
  upcasters?: EventUpcaster[];
  /** Event classes to register besides those named by `@Apply` and `@On`. @default [] */
  events?: Function[];
}
