import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { PostgresEventStore } from '../../lib/index.js';
import { LATEST_MIGRATION } from '../../lib/event-store/sql/run-migrations.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';
import { ensureSampleBuilt } from '../harness/sample-build.js';
import { SampleNode } from '../harness/sample-node.js';

jest.setTimeout(90_000);

/** The sample's Terminus probes over HTTP, on PostgreSQL. */
describe('sample health probes', () => {
  let schema: TestSchema;
  let node: SampleNode;

  beforeAll(async () => {
    await ensureSampleBuilt();
    schema = await testSchema('es_e2e_health');
    node = new SampleNode({
      name: 'bank-health',
      env: { EVENT_STORE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, EVENT_STORE_SCHEMA: schema.name, NODE_NAME: 'bank-health' },
    });
    await node.start();
  });
  afterAll(async () => {
    await node?.stop();
    await schema?.drop();
  });

  it('answers 503 with the whole Terminus result while migrations are pending, and stays live', async () => {
    const table = `"${schema.name}".migrations`;
    const { rows } = await withClient((client) => client.query(`SELECT name FROM ${table} WHERE version = $1`, [LATEST_MIGRATION]));
    await withClient((client) => client.query(`DELETE FROM ${table} WHERE version = $1`, [LATEST_MIGRATION]));
    try {
      const ready = await node.http.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        info: {},
        error: { 'event-sourcing': { status: 'down', node: 'bank-health', store: { reachable: true, latestSchemaVersion: LATEST_MIGRATION } } },
      });
      expect(ready.body.error['event-sourcing'].problems).toEqual([expect.stringMatching(/: migrations pending$/)]);
      expect(ready.body.details).toEqual(ready.body.error);
      expect(await node.http.get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await withClient((client) => client.query(`INSERT INTO ${table} (version, name) VALUES ($1, $2)`, [LATEST_MIGRATION, rows[0].name]));
    }
    expect(await node.http.get('/health/ready')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  // Last: nothing in the process makes the type readable again, so the node stays not ready.
  it('is not ready, and logs stream, version, type and fix, once an account holds an event this code cannot read', async () => {
    const store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 1 });
    try {
      await store.appendToStream('account-unreadable', 0, [{ eventId: randomUUID(), eventType: 'AccountFrozen', data: {} }]);
    } finally {
      await store.close();
    }
    const deposit = await node.http.post('/accounts/unreadable/deposit', { amount: 5 });
    expect(deposit.status).toBeGreaterThanOrEqual(400);
    const ready = await node.http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error['event-sourcing'].problems).toEqual([
      expect.stringMatching(/^unreadable event: Event type 'AccountFrozen' stored in stream 'account-unreadable' at version 1 has no class/),
    ]);
    expect(ready.body.error['event-sourcing'].unreadableEvents).toMatchObject([{ eventType: 'AccountFrozen', streamId: 'account-unreadable' }]);
    expect(await node.http.get('/health/live')).toMatchObject({ status: 200 });
    expect(node.logs()).toMatch(/Aggregate stream 'account-unreadable' cannot be loaded: Event type 'AccountFrozen' .*forFeature\(\{ events/);
  });
});
