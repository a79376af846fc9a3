import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually } from '../harness/eventually.js';
import { withClient } from '../harness/postgres-schema.js';
import { type SampleOnStore, startSampleOn } from '../harness/sample-on-store.js';
import { bankTables, dropTenantSchemas, tenantBank } from '../harness/tenant-bank.js';

jest.setTimeout(120_000);

const TENANTS = ['acme', 'globex', 'initech'];

/** The data of every table of `schema`, as `pg_dump --data-only` writes it. */
const dumpData = async (schema: string): Promise<string> =>
  (await promisify(execFile)('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', '--data-only', '-n', schema, 'test'], { maxBuffer: 64 << 20 })).stdout;

/** Every account and transfer route, each sent by `bank`. */
const everyRoute = (bank: ReturnType<typeof tenantBank>) => [
  () => bank.post('/accounts', { accountId: 'x1', initialBalance: 1 }),
  () => bank.post('/accounts/a1/deposit', { amount: 1 }),
  () => bank.post('/accounts/a1/withdraw', { amount: 1 }),
  () => bank.get('/accounts/a1'),
  () => bank.delete('/accounts/a1/holder'),
  () => bank.post('/transfers', { transferId: 'tx', from: 'a1', to: 'b1', amount: 1 }),
  () => bank.get('/transfers/tx'),
];

/** The bank started with TENANTS=acme,globex: one process, each tenant in its own store. */
describe.each(['postgres', 'embedded', 'memory'] as const)('sample bank serving tenants on the %s store', (store) => {
  let bank: SampleOnStore;

  beforeAll(async () => {
    bank = await startSampleOn(store, { TENANTS: 'acme,globex' });
  });
  afterAll(async () => {
    await bank?.close();
    if (bank?.schema) await dropTenantSchemas(bank.schema.name, TENANTS);
  });

  const as = (tenant?: string) => tenantBank(bank.node, tenant);

  it("keeps each tenant's accounts apart: the same id in both, each with its own balance", async () => {
    const [acme, globex] = [as('acme'), as('globex')];
    expect(await acme.post('/accounts?consistency=strong', { accountId: 'a1', initialBalance: 100 })).toMatchObject({
      status: 201,
      body: { version: 1 },
    });
    expect(await globex.post('/accounts?consistency=strong', { accountId: 'a1', initialBalance: 7 })).toMatchObject({
      status: 201,
      body: { version: 1 },
    });
    expect(await acme.post('/accounts/a1/deposit?consistency=strong', { amount: 5 })).toEqual({ status: 200, body: { accountId: 'a1', version: 2 } });
    expect(await acme.get('/accounts/a1')).toEqual({ status: 200, body: { accountId: 'a1', balance: 105, version: 2 } });
    expect(await globex.get('/accounts/a1')).toEqual({ status: 200, body: { accountId: 'a1', balance: 7, version: 1 } });
    expect(await globex.post('/accounts/a1/withdraw', { amount: 50 })).toMatchObject({ status: 422, body: { code: 'INSUFFICIENT_FUNDS' } });
    expect(await acme.post('/accounts?consistency=strong', { accountId: 'only-acme', initialBalance: 1 })).toMatchObject({ status: 201 });
    expect(await globex.get('/accounts/only-acme')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await globex.post('/accounts/only-acme/deposit', { amount: 1 })).toMatchObject({ status: 404, body: { code: 'ACCOUNT_NOT_OPEN' } });
    if (!bank.schema) return;
    // Each tenant's documents live beside its events; the shared schema holds only the tenant list.
    const schema = bank.schema.name;
    expect(await bankTables(schema)).toEqual([]);
    const balances = (tenant: string) =>
      withClient(
        async (client) => (await client.query(`SELECT id, doc->>'balance' AS balance FROM "${schema}_${tenant}".bank_read_models ORDER BY id`)).rows,
      );
    expect(await balances('acme')).toEqual([
      { id: 'a1', balance: '105' },
      { id: 'only-acme', balance: '1' },
    ]);
    expect(await balances('globex')).toEqual([{ id: 'a1', balance: '7' }]);
  });

  it('refuses a request naming no tenant (400), an unknown one (404) or a malformed one (400), changing nothing', async () => {
    for (const send of everyRoute(as(undefined))) expect(await send()).toMatchObject({ status: 400, body: { code: 'TENANT_REQUIRED' } });
    for (const send of everyRoute(as('umbrella'))) expect(await send()).toMatchObject({ status: 404, body: { code: 'UNKNOWN_TENANT' } });
    for (const send of everyRoute(as('Acme"; DROP'))) expect(await send()).toMatchObject({ status: 400, body: { code: 'INVALID_IDENTIFIER' } });
    expect((await as(undefined).get('/accounts/a1')).body.message).toMatch(/X-Tenant/);
    expect(await as('acme').get('/accounts/a1')).toMatchObject({ body: { balance: 105, version: 2 } });
    expect(await as('acme').get('/accounts/x1')).toMatchObject({ status: 404 });
    expect(await as().get('/tenants')).toEqual({ status: 200, body: { tenants: ['acme', 'globex'] } });
    if (bank.schema) {
      const like = await withClient((client) =>
        client.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${bank.schema!.name}_umbrella%`]),
      );
      expect(like.rows).toEqual([]);
    }
  });

  it("runs each tenant's transfers through its own process manager, the same transfer id in both", async () => {
    const [acme, globex] = [as('acme'), as('globex')];
    for (const tenant of [acme, globex])
      expect(await tenant.post('/accounts?consistency=strong', { accountId: 'b1', initialBalance: 0 })).toMatchObject({ status: 201 });
    expect(await acme.post('/transfers', { transferId: 't1', from: 'a1', to: 'b1', amount: 30 })).toMatchObject({ status: 202 });
    expect(await globex.post('/transfers', { transferId: 't1', from: 'a1', to: 'b1', amount: 5 })).toMatchObject({ status: 202 });
    await eventually(async () => expect(await acme.get('/transfers/t1')).toMatchObject({ body: { status: 'completed', amount: 30 } }));
    await eventually(async () => expect(await globex.get('/transfers/t1')).toMatchObject({ body: { status: 'completed', amount: 5 } }));
    await eventually(async () => expect((await acme.get('/accounts/b1')).body.balance).toBe(30));
    await eventually(async () => expect((await globex.get('/accounts/b1')).body.balance).toBe(5));
    expect((await acme.get('/accounts/a1')).body.balance).toBe(75);
    expect((await globex.get('/accounts/a1')).body.balance).toBe(2);

    // A transfer globex cannot cover fails in globex alone.
    expect(await globex.post('/transfers', { transferId: 't2', from: 'a1', to: 'b1', amount: 50 })).toMatchObject({ status: 202 });
    await eventually(async () => expect(await globex.get('/transfers/t2')).toMatchObject({ body: { status: 'failed' } }));
    expect(await acme.get('/transfers/t2')).toMatchObject({ status: 404 });
    expect((await acme.get('/accounts/a1')).body.balance).toBe(75);
  });

  it("forgets a holder in its own tenant only, though the other's account has the same id", async () => {
    const holderOf = (tenant: string) => ({ name: `Holder ${tenant} ${store}`, email: `holder.${tenant}.${store}@example.test` });
    const [acme, globex] = [as('acme'), as('globex')];
    expect(await acme.post('/accounts?consistency=strong', { accountId: 'h1', initialBalance: 1, holder: holderOf('acme') })).toMatchObject({
      status: 201,
    });
    expect(await globex.post('/accounts?consistency=strong', { accountId: 'h1', initialBalance: 2, holder: holderOf('globex') })).toMatchObject({
      status: 201,
    });
    expect(await acme.delete('/accounts/h1/holder')).toEqual({ status: 204, body: undefined });
    expect(await acme.get('/accounts/h1')).toEqual({ status: 200, body: { accountId: 'h1', balance: 1, version: 1, holder: '[forgotten]' } });
    expect(await globex.get('/accounts/h1')).toEqual({ status: 200, body: { accountId: 'h1', balance: 2, version: 1, holder: holderOf('globex') } });
    if (!bank.schema) return;
    const [acmeDump, globexDump] = [await dumpData(`${bank.schema.name}_acme`), await dumpData(`${bank.schema.name}_globex`)];
    expect(acmeDump).not.toContain(holderOf('acme').name);
    expect(acmeDump).not.toContain(holderOf('acme').email);
    expect(globexDump).toContain(holderOf('globex').name);
  });

  it('adds a tenant at run time through POST /tenants, and serves it at once', async () => {
    const initech = as('initech');
    expect(await initech.post('/accounts', { accountId: 'a1', initialBalance: 42 })).toMatchObject({ status: 404, body: { code: 'UNKNOWN_TENANT' } });
    expect(await as().post('/tenants', { tenantId: 'initech' })).toEqual({ status: 201, body: { tenantId: 'initech' } });
    expect(await as().post('/tenants', { tenantId: 'initech' })).toEqual({ status: 200, body: { tenantId: 'initech' } });
    for (const body of [{ tenantId: 'Initech' }, { tenantId: 'a-b' }, { tenantId: 7 }, {}]) {
      expect(await as().post('/tenants', body)).toMatchObject({ status: 400, body: { code: 'INVALID_IDENTIFIER' } });
    }
    expect(await as().get('/tenants')).toEqual({ status: 200, body: { tenants: ['acme', 'globex', 'initech'] } });

    expect(await initech.post('/accounts?consistency=strong', { accountId: 'a1', initialBalance: 42 })).toMatchObject({ status: 201 });
    expect(await initech.post('/accounts?consistency=strong', { accountId: 'b1', initialBalance: 0 })).toMatchObject({ status: 201 });
    expect(await initech.get('/accounts/a1')).toEqual({ status: 200, body: { accountId: 'a1', balance: 42, version: 1 } });
    expect(await initech.post('/transfers', { transferId: 't1', from: 'a1', to: 'b1', amount: 2 })).toMatchObject({ status: 202 });
    await eventually(async () => expect(await initech.get('/transfers/t1')).toMatchObject({ body: { status: 'completed', amount: 2 } }));
    expect((await as('acme').get('/accounts/a1')).body.balance).toBe(75);

    const status = (await as().get('/status')).body as { tenants: Record<string, { subscriptions: Array<{ name: string }> }> };
    expect(Object.keys(status.tenants)).toEqual(['acme', 'globex', 'initech']);
    expect(status.tenants.initech.subscriptions.map((s) => s.name).sort()).toEqual(['account-balances', 'transfer-money', 'transfer-status']);
  });

  it('removes a tenant at run time through DELETE /tenants/:id, and refuses its requests from then on', async () => {
    const globex = as('globex');
    const before = await globex.get('/accounts/a1');
    expect(await as().delete('/tenants/globex')).toEqual({ status: 204, body: undefined });
    expect(await as().get('/tenants')).toEqual({ status: 200, body: { tenants: ['acme', 'initech'] } });
    for (const route of everyRoute(globex)) expect(await route()).toMatchObject({ status: 404, body: { code: 'UNKNOWN_TENANT' } });
    expect(await as().delete('/tenants/globex')).toMatchObject({ status: 404, body: { code: 'UNKNOWN_TENANT' } });
    expect(await as().delete('/tenants/Globex')).toMatchObject({ status: 400, body: { code: 'INVALID_IDENTIFIER' } });
    const status = (await as().get('/status')).body as { tenants: Record<string, unknown> };
    expect(Object.keys(status.tenants)).toEqual(['acme', 'initech']);
    expect((await as('acme').get('/accounts/a1')).body.balance).toBe(75);

    // Added again, it is served with the accounts it had, where its store outlives its engine.
    expect(await as().post('/tenants', { tenantId: 'globex' })).toEqual({ status: 201, body: { tenantId: 'globex' } });
    expect(await globex.get('/accounts/a1')).toEqual(store === 'memory' ? expect.objectContaining({ status: 404 }) : before);
  });
});
