import { jest } from '@jest/globals';
import { loadConfig } from '../../sample/config.js';
import { ensureSampleBuilt } from '../harness/sample-build.js';
import { SampleNode } from '../harness/sample-node.js';
import { type SampleOnStore, startSampleOn } from '../harness/sample-on-store.js';
import { tenantBank } from '../harness/tenant-bank.js';

jest.setTimeout(120_000);

describe('the TENANTS setting', () => {
  it('serves the listed tenants, and none when unset or empty', () => {
    expect(loadConfig({ TENANTS: 'acme,globex' }).eventSourcing.tenants).toEqual({ initial: ['acme', 'globex'] });
    expect(loadConfig({ TENANTS: ' acme , globex,acme' }).eventSourcing.tenants).toEqual({ initial: ['acme', 'globex'] });
    expect(loadConfig({ PUBSUB: 'redis', TENANTS: 'acme' }).eventSourcing.tenants).toEqual({ initial: ['acme'] });
    for (const env of [{}, { TENANTS: '' }]) expect('tenants' in loadConfig(env).eventSourcing).toBe(false);
  });

  it('refuses a malformed list or a mode tenants cannot run in, naming the variable', () => {
    expect(() => loadConfig({ TENANTS: 'Acme' })).toThrow(/TENANTS must be a comma-separated list of tenant ids.*got 'Acme'/);
    expect(() => loadConfig({ TENANTS: 'acme,,globex' })).toThrow(/got '' in 'acme,,globex'/);
    expect(() => loadConfig({ TENANTS: 'acme;drop' })).toThrow(/TENANTS must be/);
    expect(() => loadConfig({ TENANTS: 'acme', REGISTRY: 'global' })).toThrow(/TENANTS needs REGISTRY=local and PUBSUB=local or redis/);
    expect(() => loadConfig({ TENANTS: 'acme', PUBSUB: 'global' })).toThrow(/TENANTS needs REGISTRY=local/);
  });

  it('stops a process started with a malformed list, saying why', async () => {
    await ensureSampleBuilt();
    const node = new SampleNode({ name: 'bank-bad-tenants', env: { EVENT_STORE: 'memory', TENANTS: 'acme,Globex' } });
    await expect(node.start()).rejects.toThrow(/exited \(code 1\)[\s\S]*TENANTS must be a comma-separated list of tenant ids/);
  });
});

describe('the bank without TENANTS', () => {
  let bank: SampleOnStore;

  beforeAll(async () => {
    bank = await startSampleOn('memory');
  });
  afterAll(() => bank?.close());

  it('answers the tenants routes 404, ignores X-Tenant as it always did, and shows no tenants in /status', async () => {
    const plain = tenantBank(bank.node, undefined);
    for (const response of [await plain.get('/tenants'), await plain.post('/tenants', { tenantId: 'acme' })]) {
      expect(response).toMatchObject({ status: 404, body: { code: 'TENANTS_NOT_SERVED' } });
      expect(response.body.message).toMatch(/TENANTS=/);
    }
    expect(await tenantBank(bank.node, 'acme').post('/accounts?consistency=strong', { accountId: 'a1', initialBalance: 3 })).toMatchObject({
      status: 201,
    });
    expect(await plain.get('/accounts/a1')).toEqual({ status: 200, body: { accountId: 'a1', balance: 3, version: 1 } });
    expect(await tenantBank(bank.node, 'globex').get('/accounts/a1')).toMatchObject({ status: 200, body: { balance: 3 } });
    const status = (await plain.get('/status')).body as { subscriptions: Array<{ name: string }> };
    expect(status).not.toHaveProperty('tenants');
    expect(status.subscriptions.map((s) => s.name).sort()).toEqual(['account-balances', 'transfer-money', 'transfer-status']);
  });
});
