import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import type { RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { killAllChildren } from '../harness/child-registry.js';
import { TEST_DATABASE_URL, testSchema, type TestSchema } from '../harness/postgres-schema.js';
import { startRedisServer, type RedisServerHandle } from '../harness/redis-server.js';
import { startCluster, type SampleCluster } from '../harness/sample-cluster.js';

/** Sample nodes in the independent mode, with the Redis and the schema they share. */
export interface IndependentNodes {
  cluster: SampleCluster;
  /** A redis-server of this test's own, so it can be stopped and no other suite hears these nodes. */
  redis: RedisServerHandle;
  schema: TestSchema;
  /** The events of `account-<id>`, read straight from the store. */
  accountEvents(accountId: string): Promise<RecordedEvent[]>;
  /** Stops the nodes, the Redis and the store reader, and drops the schema. */
  close(): Promise<void>;
}

/**
 * Starts `nodes` sample processes with `REGISTRY=local PUBSUB=redis EVENT_STORE=postgres` on a
 * fresh schema and a fresh redis-server.
 */
export async function startIndependentNodes(nodes = 3, env: Record<string, string> = {}): Promise<IndependentNodes> {
  const schema = await testSchema();
  const redis = await startRedisServer();
  const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, autoMigrate: false, poolSize: 2 });
  let cluster: SampleCluster | undefined;
  try {
    cluster = await startCluster({
      nodes,
      env: {
        REGISTRY: 'local',
        PUBSUB: 'redis',
        EVENT_STORE: 'postgres',
        DATABASE_URL: TEST_DATABASE_URL,
        EVENT_STORE_SCHEMA: schema.name,
        REDIS_URL: redis.url,
        ...env,
      },
    });
    await store.init();
  } catch (error) {
    await killAllChildren();
    await schema.drop();
    throw error;
  }
  const started = cluster;
  return {
    cluster: started,
    redis,
    schema,
    accountEvents: (accountId) => store.readStream(`account-${accountId}`),
    close: async () => {
      await started.stop().catch(() => undefined);
      await killAllChildren();
      await store.close();
      await schema.drop();
    },
  };
}
