import { jest } from '@jest/globals';
import { eventually } from '../harness/eventually.js';
import { withClient } from '../harness/postgres-schema.js';
import type { SampleNode } from '../harness/sample-node.js';
import { dropTenantSchemas, tenantBank } from '../harness/tenant-bank.js';
import { type IndependentNodes, startIndependentNodes } from './independent-nodes.js';

jest.setTimeout(180_000);

const INITIAL = ['acme', 'globex'];
const SUBSCRIPTIONS = ['account-balances', 'transfer-money', 'transfer-status'];
const query = (sql: string) => withClient(async (client) => (await client.query(sql)).rows);

interface TenantStatus {
  subscriptions: Array<{ name: string; state: string }>;
}

/** What `GET /status` says of the tenants whose engines run on `node`. */
const tenantsOn = async (node: SampleNode): Promise<Record<string, TenantStatus>> => (await node.http.get('/status')).body.tenants;

let nodes: IndependentNodes;
beforeAll(async () => {
  nodes = await startIndependentNodes(2, { TENANTS: INITIAL.join(','), LEDGER_PARTITIONS: '2' });
});
afterAll(async () => {
  await nodes?.close();
  if (nodes) await dropTenantSchemas(nodes.schema.name, [...INITIAL, 'initech']);
});

describe('two bank processes serving tenants (PUBSUB=redis, one schema)', () => {
  it('serves on node B a tenant added through node A, and its read model catches up wherever its projectors run', async () => {
    const [a, b] = nodes.cluster.nodes;
    expect(await tenantBank(a, undefined).post('/tenants', { tenantId: 'initech' })).toEqual({ status: 201, body: { tenantId: 'initech' } });
    // B starts the tenant's engine when it hears of it, before any request names the tenant there.
    await eventually(async () => expect(Object.keys(await tenantsOn(b))).toEqual([...INITIAL, 'initech']));
    expect(await tenantBank(b, undefined).get('/tenants')).toEqual({ status: 200, body: { tenants: [...INITIAL, 'initech'] } });

    const onB = tenantBank(b, 'initech');
    expect(await onB.post('/accounts?consistency=strong', { accountId: 'a1', initialBalance: 50 })).toMatchObject({ status: 201 });
    expect(await onB.post('/accounts?consistency=strong', { accountId: 'b1', initialBalance: 0 })).toMatchObject({ status: 201 });
    expect(await onB.post('/accounts/a1/deposit?consistency=strong', { amount: 10 })).toEqual({ status: 200, body: { accountId: 'a1', version: 2 } });
    // A strong command returns once the projector has it, on whichever node it runs: both nodes read it.
    for (const node of [a, b]) {
      expect(await tenantBank(node, 'initech').get('/accounts/a1')).toEqual({ status: 200, body: { accountId: 'a1', balance: 60, version: 2 } });
    }
    expect(await onB.post('/transfers', { transferId: 't1', from: 'a1', to: 'b1', amount: 25 })).toMatchObject({ status: 202 });
    const onA = tenantBank(a, 'initech');
    await eventually(async () => expect(await onA.get('/transfers/t1')).toMatchObject({ body: { status: 'completed', amount: 25 } }));
    await eventually(async () => expect((await onA.get('/accounts/b1')).body).toEqual({ accountId: 'b1', balance: 25, version: 2 }));
    expect((await onB.get('/accounts/a1')).body).toEqual({ accountId: 'a1', balance: 35, version: 3 });

    // Each of the tenant's subscriptions runs on one node of the two.
    for (const name of SUBSCRIPTIONS) {
      await eventually(async () => {
        const states = await Promise.all(
          [a, b].map(async (node) => (await tenantsOn(node)).initech.subscriptions.find((s) => s.name === name)?.state),
        );
        expect(states.filter((state) => state === 'running')).toHaveLength(1);
      });
    }

    // The tenant's documents live in its schema; the other tenants never see its accounts.
    const schema = nodes.schema.name;
    expect(await query(`SELECT kind, id, doc->>'balance' AS balance FROM "${schema}_initech".bank_read_models ORDER BY kind, id`)).toEqual([
      { kind: 'account', id: 'a1', balance: '35' },
      { kind: 'account', id: 'b1', balance: '25' },
      { kind: 'transfer', id: 't1', balance: null },
    ]);
    // So does its ledger, written by the spread projector (LEDGER_PARTITIONS) of its own engines.
    const ledger = `SELECT account_id, count(*)::int AS lines FROM "${schema}_initech".bank_ledger GROUP BY account_id ORDER BY account_id`;
    await eventually(async () =>
      expect(await query(ledger)).toEqual([
        { account_id: 'a1', lines: 3 },
        { account_id: 'b1', lines: 2 },
      ]),
    );
    expect(await query(`SELECT to_regclass('"${schema}".bank_ledger') AS shared, to_regclass('"${schema}".bank_read_models') AS docs`)).toEqual([
      { shared: null, docs: null },
    ]);
    for (const tenant of INITIAL) {
      for (const node of [a, b])
        expect(await tenantBank(node, tenant).get('/accounts/a1')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    }
  });

  it('serves one account id in two tenants through either node, each tenant with its own balance', async () => {
    const [a, b] = nodes.cluster.nodes;
    expect(await tenantBank(a, 'acme').post('/accounts?consistency=strong', { accountId: 'shared', initialBalance: 1 })).toMatchObject({
      status: 201,
    });
    expect(await tenantBank(b, 'globex').post('/accounts?consistency=strong', { accountId: 'shared', initialBalance: 2 })).toMatchObject({
      status: 201,
    });
    expect(await tenantBank(b, 'acme').post('/accounts/shared/deposit?consistency=strong', { amount: 10 })).toMatchObject({ status: 200 });
    for (const node of [a, b]) {
      expect((await tenantBank(node, 'acme').get('/accounts/shared')).body).toEqual({ accountId: 'shared', balance: 11, version: 2 });
      expect((await tenantBank(node, 'globex').get('/accounts/shared')).body).toEqual({ accountId: 'shared', balance: 2, version: 1 });
    }
  });

  it('stops serving on node B a tenant removed through node A, its schema kept', async () => {
    const [a, b] = nodes.cluster.nodes;
    const events = `SELECT count(*)::int AS events FROM "${nodes.schema.name}_initech".events`;
    const before = await query(events);
    expect(await tenantBank(a, undefined).delete('/tenants/initech')).toEqual({ status: 204, body: undefined });
    // B stops the tenant's engine, with its subscriptions, when it hears of it, before any request names the tenant there.
    await eventually(async () => expect(Object.keys(await tenantsOn(b))).toEqual(INITIAL));
    expect(Object.keys(await tenantsOn(a))).toEqual(INITIAL);
    for (const node of [a, b]) {
      expect(await tenantBank(node, 'initech').get('/accounts/a1')).toMatchObject({ status: 404, body: { code: 'UNKNOWN_TENANT' } });
      expect(await tenantBank(node, undefined).get('/tenants')).toEqual({ status: 200, body: { tenants: INITIAL } });
    }
    expect(await query(events)).toEqual(before);
    expect(before[0].events).toBeGreaterThan(0);
  });
});
