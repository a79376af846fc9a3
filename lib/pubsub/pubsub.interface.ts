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

/** Channel names used between nodes. */
export const PubSubChannels = {
  /** `{ position }`: events were appended; subscribers may read sooner than their poll. */
  appended: 'es.appended',
  /** `{ name, position }`: a subscription acknowledged events up to `position`. */
  ack: 'es.ack',
  /** `{ streamId, version }`: a stream moved; cached aggregate instances behind it are stale. */
  invalidate: 'es.invalidate',
} as const;
