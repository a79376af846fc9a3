import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_DATABASE_URL, testSchema, type TestSchema } from './postgres-schema.js';
import { ensureSampleBuilt } from './sample-build.js';
import { SampleNode } from './sample-node.js';

/** The sample's three event stores. */
export type SampleStore = 'memory' | 'embedded' | 'postgres';

/** One sample node on one store, with what it needs (a data dir, a schema) and how to clean up. */
export interface SampleOnStore {
  node: SampleNode;
  /** The postgres store's schema; undefined on the other stores. */
  schema?: TestSchema;
  /** Stops the node and removes its data dir or schema. */
  close(): Promise<void>;
}

/** Builds the sample if stale and starts one node on `store` (a fresh data dir or schema). */
export async function startSampleOn(store: SampleStore, env: Record<string, string> = {}): Promise<SampleOnStore> {
  await ensureSampleBuilt();
  const nodeEnv: Record<string, string> = { EVENT_STORE: store, ...env };
  let schema: TestSchema | undefined;
  let dataDir: string | undefined;
  if (store === 'embedded') nodeEnv.DATA_DIR = dataDir = mkdtempSync(join(tmpdir(), 'bank-'));
  if (store === 'postgres') {
    schema = await testSchema('es_e2e');
    Object.assign(nodeEnv, { DATABASE_URL: TEST_DATABASE_URL, EVENT_STORE_SCHEMA: schema.name });
  }
  const node = new SampleNode({ name: `bank-${store}`, env: nodeEnv });
  await node.start();
  return {
    node,
    schema,
    close: async () => {
      await node.stop().catch(() => node.kill());
      await schema?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
