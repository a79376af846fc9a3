/** Connection state of a pubsub transport, for logs and health checks. */
export interface PubSubStatus {
  transport: 'local' | 'global' | 'redis';
  connected: boolean;
  /** When `connected` last changed. */
  since: Date;
}

/** A message handler; `from` is the publishing node's name. */
export type PubSubHandler<T> = (message: T, from: string) => void;

/**
 * Best-effort broadcast between nodes: wake-ups, acknowledgements, invalidations. Messages can
 * be lost (a disconnected Redis subscriber gets nothing), so nothing correct may depend on one.
 */
export interface PubSub {
  readonly nodeName: string;
  init(): Promise<void>;
  close(): Promise<void>;
  /** Sends to every node subscribed to `channel`, this one included. Never throws for a lost connection. */
  publish<T>(channel: string, message: T): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe<T>(channel: string, handler: PubSubHandler<T>): () => void;
  status(): PubSubStatus;
}

/** Injection token of the {@link PubSub} port. */
export const PubSub = Symbol('PubSub');

/** What travels on {@link PubSubChannels}.appended. */
export interface AppendedMessage {
  /** Global position of the last event appended. */
  position: number;
  streamId: string;
  /** Stream version after the append. */
  version: number;
  /** Stored type names of the events appended; absent from older nodes. */
  eventTypes?: string[];
}

/** Channel names used between nodes. */
export const PubSubChannels = {
  /**
   * `{ position, streamId, version }`: events were appended; subscribers may read sooner than
   * their poll, and cached aggregate instances of the stream behind `version` are stale.
   */
  appended: 'es.appended',
  /** `{ name, position }`: a subscription acknowledged events up to `position`. */
  ack: 'es.ack',
  /** `{ name }`: an operator asked subscription `name` to reset, restart, pause or resume; its owner re-reads the store. */
  control: 'es.control',
  /** `{ name }`: a node gave up a subscription's lease; standbys elsewhere try to take it at once. */
  leaseReleased: 'es.lease-released',
  /** `{ name }`: parked events of a subscription were marked for retry or discarded; its runner redelivers what is due. */
  parked: 'es.parked',
  /** `{ tenant }`: a tenant was added; every node starts its engine (each also re-reads the tenant list now and then). */
  tenantAdded: 'es.tenant-added',
  /** `{ tenant }`: a tenant was removed; every node stops its engine (each also re-reads the tenant list now and then). */
  tenantRemoved: 'es.tenant-removed',
} as const;
