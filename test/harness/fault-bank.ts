import { killAllChildren } from './child-registry.js';
import { TEST_DATABASE_URL, testSchema, type TestSchema } from './postgres-schema.js';
import { startRedisServer, type RedisServerHandle } from './redis-server.js';
import { startCluster, type SampleCluster } from './sample-cluster.js';

/** Sample nodes on PostgreSQL for fault tests: the schema, an own Redis when the mode uses one. */
export interface FaultBank {
  cluster: SampleCluster;
  schema: TestSchema;
  redis?: RedisServerHandle;
  /**
   * Prefix of the `application_name` of every connection the nodes open (PGAPPNAME, `<appName>_<i>`
   * for node i), so a test can terminate exactly the sample's backends, or one node's, and never
   * another suite's.
   */
  appName: string;
  close(): Promise<void>;
}

/** How to start a {@link FaultBank}. */
export interface FaultBankOptions {
  nodes: number;
  /** Mode variables (REGISTRY, PUBSUB, ...); PUBSUB=redis gets a fresh redis-server. */
  modeEnv: Record<string, string>;
  env?: Record<string, string>;
}

/** Starts `nodes` sample processes with EVENT_STORE=postgres on a fresh schema. */
export async function startFaultBank({ nodes, modeEnv, env = {} }: FaultBankOptions): Promise<FaultBank> {
  const schema = await testSchema('es_faults');
  const redis = modeEnv.PUBSUB === 'redis' ? await startRedisServer() : undefined;
  const appName = `${schema.name}_node`;
  try {
    const cluster = await startCluster({
      nodes,
      namePrefix: 'bank',
      env: {
        EVENT_STORE: 'postgres',
        DATABASE_URL: TEST_DATABASE_URL,
        EVENT_STORE_SCHEMA: schema.name,
        ...modeEnv,
        ...(redis ? { REDIS_URL: redis.url } : {}),
        ...env,
      },
      nodeEnv: (index) => ({ PGAPPNAME: `${appName}_${index}` }),
    });
    const close = async () => {
      await cluster.stop().catch(() => undefined);
      await killAllChildren();
      await schema.drop();
    };
    return { cluster, schema, redis, appName, close };
  } catch (error) {
    await killAllChildren();
    await schema.drop();
    throw error;
  }
}
