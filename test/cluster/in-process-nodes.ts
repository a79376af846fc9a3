import type { INestApplication, Type } from '@nestjs/common';
import { CLUSTER_NODE, type ClusterNode } from '../../lib/cluster/cluster-node.js';
import type { EventStore } from '../../lib/index.js';
import { Counter } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { eventually } from '../harness/eventually.js';

/**
 * A cluster node as an application in this process, on a shared store, with fast heartbeats (and
 * a 5 s node timeout unless `nodeTimeout` says otherwise), running `aggregates` (the counter).
 */
export const startCounterNode = (
  store: EventStore,
  name: string,
  commands: { maxAttempts?: number } = {},
  nodeTimeout = 5000,
  aggregates: Type[] = [Counter],
): Promise<INestApplication> =>
  createApp({
    aggregates,
    options: {
      eventStore: store,
      registry: 'global',
      pubsub: 'global',
      nodeName: name,
      commands,
      cluster: { listen: { host: '127.0.0.1', port: 0 }, heartbeatInterval: 100, nodeTimeout },
    },
  });

/** The application's cluster node: membership and placement. */
export const nodeOf = (app: INestApplication): ClusterNode => app.get<ClusterNode>(CLUSTER_NODE);

/** Waits until every one of `apps` counts all of them as members, named `names` in order (a heartbeat or so). */
export const membersAgree = (apps: INestApplication[], names: string[]): Promise<void> =>
  eventually(() => expect(apps.map((app) => nodeOf(app).members)).toEqual(apps.map(() => names)), { timeout: 60_000 });
