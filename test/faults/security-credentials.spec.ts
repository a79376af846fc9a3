import { jest } from '@jest/globals';
import { killAllChildren } from '../harness/child-registry.js';
import { freePort } from '../harness/free-port.js';
import { testSchema, type TestSchema } from '../harness/postgres-schema.js';
import { terminateBackends } from '../harness/pg-faults.js';
import { ensureSampleBuilt } from '../harness/sample-build.js';
import { SampleNode } from '../harness/sample-node.js';
import { report } from './bank-setup.js';

jest.setTimeout(300_000);

const PG_SECRET = 'Pg-S3cret-7f3a';
const REDIS_SECRET = 'Rd-S3cret-9c1e';

/** Starts a node that may well fail to start; returns what it printed either way. */
async function attempt(node: SampleNode): Promise<{ started: boolean; failure: string }> {
  try {
    await node.start();
    return { started: true, failure: '' };
  } catch (error) {
    return { started: false, failure: String(error) };
  }
}

describe('faults: credentials never leak', () => {
  let schema: TestSchema;

  beforeAll(async () => {
    await ensureSampleBuilt();
    schema = await testSchema('es_faults_cred');
  });
  afterAll(async () => {
    await killAllChildren();
    await schema?.drop();
  });

  it('keeps passwords out of the output of a node whose database and Redis are unreachable', async () => {
    const [pgPort, redisPort] = [await freePort(), await freePort()];
    const node = new SampleNode({
      name: 'bank-unreachable',
      env: {
        EVENT_STORE: 'postgres',
        EVENT_STORE_SCHEMA: schema.name,
        PUBSUB: 'redis',
        DATABASE_URL: `postgres://postgres:${PG_SECRET}@127.0.0.1:${pgPort}/test`,
        REDIS_URL: `redis://:${REDIS_SECRET}@127.0.0.1:${redisPort}`,
      },
    });
    const { started, failure } = await attempt(node);
    await node.kill();
    expect(started).toBe(false);
    expect(node.logs()).toMatch(/ECONNREFUSED|connect|unavailable/i);
    for (const secret of [PG_SECRET, REDIS_SECRET]) expect(`${node.logs()}\n${failure}`).not.toContain(secret);
  });

  it('keeps the password out of logs and answers while its connections are cut', async () => {
    const appName = `${schema.name}_cred`;
    const node = new SampleNode({
      name: 'bank-password',
      env: {
        EVENT_STORE: 'postgres',
        EVENT_STORE_SCHEMA: schema.name,
        PGAPPNAME: appName,
        DATABASE_URL: `postgres://postgres:${PG_SECRET}@127.0.0.1:5432/test`,
      },
    });
    await node.start();
    const answers: string[] = [];
    const poke = async () => {
      for (let i = 0; i < 20; i++)
        answers.push(JSON.stringify(await node.http.post('/accounts', { accountId: `p${i}`, initialBalance: 1 }).catch(String)));
    };
    const terminated = await terminateBackends(appName);
    await poke();
    const again = await terminateBackends(appName);
    await poke();
    await node.stop();
    expect(terminated + again).toBeGreaterThan(0);
    expect(answers.join('\n')).not.toContain(PG_SECRET);
    expect(node.logs()).not.toContain(PG_SECRET);
    report('credentials', { backendsTerminated: terminated + again, answersChecked: answers.length });
  });
});
