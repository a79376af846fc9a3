import { jest } from '@jest/globals';
import { eventually } from '../harness/eventually.js';
import type { RequestOptions } from '../harness/http-client.js';
import { type SampleOnStore, startSampleOn } from '../harness/sample-on-store.js';

jest.setTimeout(90_000);

const MAX = Number.MAX_SAFE_INTEGER;

/** Inputs a hostile client sent to the sample; each must get a clear 4xx and change nothing. */
describe.each(['memory', 'embedded', 'postgres'] as const)('sample input handling on the %s store', (store) => {
  let bank: SampleOnStore;

  beforeAll(async () => {
    bank = await startSampleOn(store);
    await post('/accounts?consistency=strong', { accountId: 'alice', initialBalance: 100 });
  });
  afterAll(() => bank?.close());

  const post = (path: string, body?: unknown, options?: RequestOptions) => bank.node.http.post(path, body, options);
  const get = (path: string) => bank.node.http.get(path);
  const balance = async (id: string) => (await get(`/accounts/${id}`)).body;

  it('refuses NUL and other bad path ids with a 400 JSON answer, on GET and POST', async () => {
    for (const id of ['abc%00', 'a%22b', "a'b", 'a%3Bb', '..%2F..%2Fetc']) {
      for (const response of [
        await post(`/accounts/${id}/deposit`, { amount: 1 }),
        await post(`/accounts/${id}/withdraw`, { amount: 1 }),
        await get(`/accounts/${id}`),
        await get(`/transfers/${id}`),
      ]) {
        expect(response).toMatchObject({ status: 400, body: { code: 'INVALID_ID' } });
        expect(response.body.message).toMatch(/'id' must be 1-64 letters/);
      }
    }
  });

  it('refuses a command whose result is not an exact number, and keeps what it acknowledged', async () => {
    expect(await post('/accounts?consistency=strong', { accountId: 'big', initialBalance: MAX })).toMatchObject({ status: 201 });
    const overflow = await post('/accounts/big/deposit', { amount: 1 });
    expect(overflow).toMatchObject({ status: 422, body: { code: 'AMOUNT_NOT_REPRESENTABLE' } });
    expect(overflow.body.message).toMatch(/cannot be represented exactly/);
    expect(await post('/accounts/big/withdraw?consistency=strong', { amount: 1 })).toMatchObject({ status: 200, body: { version: 2 } });
    expect(await post('/accounts/big/deposit?consistency=strong', { amount: 1 })).toMatchObject({ status: 200, body: { version: 3 } });
    expect(await post('/accounts/big/deposit', { amount: 1 })).toMatchObject({ status: 422 });
    expect(await balance('big')).toEqual({ accountId: 'big', balance: MAX, version: 3 });
  });

  it('refunds a transfer whose deposit would overflow the target', async () => {
    expect(await post('/transfers', { transferId: 't-over', from: 'alice', to: 'big', amount: 5 })).toMatchObject({ status: 202 });
    await eventually(async () => expect((await get('/transfers/t-over')).body).toMatchObject({ status: 'failed' }));
    expect((await get('/transfers/t-over')).body.reason).toMatch(/refunded/);
    await eventually(async () => expect(await balance('alice')).toMatchObject({ balance: 100 }));
    expect(await balance('big')).toMatchObject({ balance: MAX });
  });

  it('never writes into the stream of an account that was never opened', async () => {
    await post('/transfers', { transferId: 't-from-ghost', from: 'ghost-a', to: 'alice', amount: 5 });
    await post('/transfers', { transferId: 't-to-ghost', from: 'alice', to: 'ghost-b', amount: 5 });
    for (const id of ['t-from-ghost', 't-to-ghost']) {
      await eventually(async () => expect((await get(`/transfers/${id}`)).body).toMatchObject({ status: 'failed' }));
      expect((await get(`/transfers/${id}`)).body.reason).toMatch(/not open/);
    }
    await eventually(async () => expect(await balance('alice')).toMatchObject({ balance: 100 }));
    for (const id of ['ghost-a', 'ghost-b']) {
      expect(await post('/accounts', { accountId: id, initialBalance: 0 })).toEqual({ status: 201, body: { accountId: id, version: 1 } });
    }
  });

  it('applies a command sent twice with one Idempotency-Key once', async () => {
    const once = { headers: { 'idempotency-key': 'dep-alice-1' } };
    const first = await post('/accounts/alice/deposit?consistency=strong', { amount: 7 }, once);
    expect(first.status).toBe(200);
    expect(await post('/accounts/alice/deposit?consistency=strong', { amount: 7 }, once)).toEqual(first);
    expect(await balance('alice')).toMatchObject({ balance: 107, version: first.body.version });
    const open = { headers: { 'idempotency-key': 'open-carol' } };
    expect(await post('/accounts', { accountId: 'carol', initialBalance: 1 }, open)).toMatchObject({ status: 201 });
    expect(await post('/accounts', { accountId: 'carol', initialBalance: 1 }, open)).toMatchObject({ status: 201 });
    for (const key of ['', ' ', 'a\tb', 'a b', '\u00e4', 'k'.repeat(201)]) {
      const response = await post('/accounts/alice/deposit', { amount: 1 }, { headers: { 'idempotency-key': key } });
      expect(response).toMatchObject({ status: 400, body: { code: 'INVALID_IDEMPOTENCY_KEY' } });
    }
    expect(await balance('alice')).toMatchObject({ balance: 107 });
  });

  it('answers malformed bodies and query forms with a clear 4xx', async () => {
    const nullBody = await post('/accounts', undefined, { rawBody: 'null' });
    expect(nullBody).toMatchObject({ status: 400, body: { code: 'INVALID_BODY', message: 'The body must be a JSON object' } });
    const broken = await post('/accounts', undefined, { rawBody: '{"accountId":' });
    expect(broken).toMatchObject({ status: 400, body: { code: 'INVALID_BODY', message: 'The body must be a JSON object' } });
    const text = await post('/accounts', undefined, { rawBody: '{"accountId":"t","initialBalance":1}', headers: { 'content-type': 'text/plain' } });
    expect(text).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    const minusZero = await post('/accounts', undefined, { rawBody: '{"accountId":"mz","initialBalance":-0}' });
    expect(minusZero).toMatchObject({ status: 400, body: { code: 'INVALID_COMMAND' } });
    for (const query of ['consistency=strong&consistency=eventual', 'consistency[]=x', 'consistency[a]=strong', 'consistency=']) {
      const response = await post(`/accounts?${query}`, { accountId: 'q', initialBalance: 1 });
      expect(response).toMatchObject({ status: 400, body: { code: 'INVALID_CONSISTENCY' } });
    }
    for (const id of ['t', 'mz', 'q']) expect((await get(`/accounts/${id}`)).status).toBe(404);
  });
});
