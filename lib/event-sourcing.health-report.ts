import type { EventSourcingStatus } from './event-sourcing.health.js';
import type { EventStore } from './event-store/event-store.interface.js';
import type { ReplicaStatus } from './event-store/replica-status.js';
import type { UnreadableEvent } from './events/unreadable-events.js';
import type { ResolvedHealthCheckOptions } from './health-check.options.js';
import type { SubscriptionKind } from './decorators/subscription-options.js';
import type { PubSubStatus } from './pubsub/pubsub.interface.js';
import type { SubscriptionState } from './subscriptions/subscription-status.js';
import { awaitDeadline } from './util/await-deadline.js';

/** The event store as a health check saw it. */
export interface StoreHealth {
  /** The probe query answered within `storeTimeout`. */
  reachable: boolean;
  /** Highest global position (when reachable). */
  head?: number;
  /** Schema version applied to the database (SQL stores). */
  schemaVersion?: number;
  /** Schema version this release needs (SQL stores). */
  latestSchemaVersion?: number;
  /** Why the store counts as unreachable. */
  error?: string;
  /** Its read replica, when it has one: reported, never judged (the primary answers when it is out). */
  replica?: ReplicaStatus | { reachable: false; error: string };
}

/** One subscription as a health check saw it. */
export interface SubscriptionHealth {
  kind: SubscriptionKind;
  state: SubscriptionState;
  /** Strong dispatches wait for it. */
  strong: boolean;
  /** Last acknowledged position, read from the store (absent when the store is unreachable). */
  checkpoint?: number;
  /** Events it trails the store's head by. */
  lag?: number;
  maxLag: number;
  /** Events it parked (dead letters) that wait for an operator; reported, never judged. */
  parked?: number;
  lastError?: string;
  /** The first stored event it could not read; the node is not ready while it is set. */
  unreadable?: UnreadableEvent;
}

/** What `EventSourcingHealthIndicator.isReady` and `.check` put under their key. */
export interface EventSourcingHealthDetails {
  node: string;
  store: StoreHealth;
  pubsub: Pick<PubSubStatus, 'transport' | 'connected'>;
  subscriptions: Record<string, SubscriptionHealth>;
  /** Stored events aggregates could not load (first one per type); absent when none. */
  unreadableEvents?: UnreadableEvent[];
  /** In cluster mode: whether this node has joined (and not left), and how many members it sees. */
  cluster?: { member: boolean; members: number };
  /** Each tenant's engine started on this node, by tenant id, when the module serves tenants; their problems are the check's too. */
  tenants?: Record<string, Omit<EventSourcingHealthDetails, 'problems'>>;
  /** Why the check is down; empty when up. */
  problems: string[];
}

/** A problem found; `readiness` ones also make the node not ready. */
export interface HealthFinding {
  message: string;
  readiness: boolean;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

const noAnswer = (timeout: number) => () => new Error(`no answer within ${timeout} ms`);

/** The replica's own probe, bounded apart from the store's: a slow replica never makes the store unreachable. */
async function probeReplica(store: EventStore, timeout: number): Promise<StoreHealth['replica']> {
  try {
    return await awaitDeadline(store.replicaStatus?.() ?? Promise.resolve(undefined), timeout, noAnswer(timeout));
  } catch (error) {
    return { reachable: false, error: reason(error) };
  }
}

async function probeStore(store: EventStore, timeout: number): Promise<StoreHealth> {
  const replica = probeReplica(store, timeout);
  try {
    const [head, version] = await awaitDeadline(Promise.all([store.headPosition(), store.schemaVersion?.()]), timeout, noAnswer(timeout));
    const schema = version && { schemaVersion: version.applied, latestSchemaVersion: version.latest };
    const replicaHealth = await replica;
    return { reachable: true, head, ...schema, ...(replicaHealth && { replica: replicaHealth }) };
  } catch (error) {
    await replica;
    return { reachable: false, error: reason(error) };
  }
}

async function subscriptionHealth(
  status: EventSourcingStatus['subscriptions'][number],
  strong: boolean,
  store: EventStore,
  head: number | undefined,
  options: ResolvedHealthCheckOptions,
): Promise<SubscriptionHealth> {
  const checkpoint = head === undefined ? undefined : await store.readCheckpoint(status.name).catch(() => undefined);
  return {
    kind: status.kind,
    state: status.state,
    strong,
    ...(checkpoint !== undefined && { checkpoint, lag: Math.max(0, head! - checkpoint) }),
    maxLag: options.subscriptions[status.name]?.maxLag ?? options.maxLag,
    ...(head !== undefined && { parked: await store.parkedEvents.count(status.name).catch(() => 0) }),
    ...(status.lastError && { lastError: status.lastError.message }),
    ...(status.unreadable && { unreadable: status.unreadable }),
  };
}

/** Probes the store and reads every subscription's lag; returns the details and what is wrong. */
export async function healthReport(
  status: EventSourcingStatus,
  store: EventStore,
  strongNames: string[],
  options: ResolvedHealthCheckOptions,
): Promise<{ details: Omit<EventSourcingHealthDetails, 'problems'>; findings: HealthFinding[] }> {
  const found: HealthFinding[] = [];
  const find = (readiness: boolean, message: string) => found.push({ message, readiness });
  const storeHealth = await probeStore(store, options.storeTimeout);
  if (!storeHealth.reachable) find(true, `event store unreachable: ${storeHealth.error}`);
  if ((storeHealth.schemaVersion ?? 0) < (storeHealth.latestSchemaVersion ?? 0)) {
    find(
      true,
      `event store schema at version ${storeHealth.schemaVersion}, this release needs ${storeHealth.latestSchemaVersion}: migrations pending`,
    );
  }
  const subscriptions: Record<string, SubscriptionHealth> = {};
  for (const s of status.subscriptions) {
    const health = await subscriptionHealth(s, strongNames.includes(s.name), store, storeHealth.head, options);
    subscriptions[s.name] = health;
    if (health.state === 'stopped') find(false, `subscription '${s.name}' is stopped${health.lastError ? `: ${health.lastError}` : ''}`);
    if (health.unreadable) find(true, `subscription '${s.name}' met an unreadable event: ${health.unreadable.message}`);
    if ((health.lag ?? 0) > health.maxLag) find(health.strong, `subscription '${s.name}' lags ${health.lag} events behind (max ${health.maxLag})`);
  }
  const unreadable = status.aggregates.unreadable;
  for (const event of unreadable) find(true, `unreadable event: ${event.message}`);
  if (!status.pubsub.connected) find(false, `pubsub (${status.pubsub.transport}) disconnected`);
  const cluster = status.cluster && {
    member: status.cluster.active && status.cluster.members.some((m) => m.name === status.node),
    members: status.cluster.members.length,
  };
  if (cluster && !cluster.member) find(true, `node '${status.node}' is not a member of the cluster`);
  const { transport, connected } = status.pubsub;
  return {
    details: {
      node: status.node,
      store: storeHealth,
      pubsub: { transport, connected },
      subscriptions,
      ...(unreadable.length && { unreadableEvents: unreadable }),
      ...(cluster && { cluster }),
    },
    findings: found,
  };
}
