import { jest } from '@jest/globals';
import { eventually } from '../harness/eventually.js';
import { withClient } from '../harness/postgres-schema.js';
import { startFaultBank, type FaultBank } from '../harness/fault-bank.js';
import type { RequestOptions } from '../harness/http-client.js';
import { report } from './bank-setup.js';
import { faultsMode } from './faults-mode.js';

jest.setTimeout(60_000);

type Attempt = [label: string, method: 'GET' | 'POST' | 'DELETE', path: string, body: unknown, options?: RequestOptions];

const raw = (rawBody: string, headers?: Record<string, string>): RequestOptions => ({ rawBody, headers });
const key = (value: string): RequestOptions => ({ headers: { 'idempotency-key': value } });
const precondition = (headers: Record<string, string>): RequestOptions => ({ headers });

const ATTEMPTS: Attempt[] = [
  ['null body', 'POST', '/accounts', undefined, raw('null')],
  ['array body', 'POST', '/accounts', undefined, raw('[]')],
  ['string body', 'POST', '/accounts', undefined, raw('"alice"')],
  ['broken JSON', 'POST', '/accounts', undefined, raw('{"accountId":')],
  ['text/plain', 'POST', '/accounts', undefined, raw('{"accountId":"t","initialBalance":1}', { 'content-type': 'text/plain' })],
  ['oversize body', 'POST', '/accounts', { accountId: 'big-body', initialBalance: 1, pad: 'x'.repeat(200_000) }],
  ['missing accountId', 'POST', '/accounts', { initialBalance: 1 }],
  ['NUL in accountId', 'POST', '/accounts', { accountId: 'a\u0000b', initialBalance: 1 }],
  ['quote in accountId', 'POST', '/accounts', { accountId: "a'; DROP TABLE x; --", initialBalance: 1 }],
  ['../ in accountId', 'POST', '/accounts', { accountId: '../../etc', initialBalance: 1 }],
  ['65-character accountId', 'POST', '/accounts', { accountId: 'a'.repeat(65), initialBalance: 1 }],
  ['negative initialBalance', 'POST', '/accounts', { accountId: 'neg', initialBalance: -1 }],
  ['-0 initialBalance', 'POST', '/accounts', undefined, raw('{"accountId":"mz","initialBalance":-0}')],
  ['fractional initialBalance', 'POST', '/accounts', { accountId: 'frac', initialBalance: 1.5 }],
  ['string initialBalance', 'POST', '/accounts', { accountId: 'str', initialBalance: '10' }],
  ['initialBalance 2^53', 'POST', '/accounts', { accountId: 'huge', initialBalance: 2 ** 53 }],
  ['open an open account', 'POST', '/accounts', { accountId: 'alice', initialBalance: 1 }],
  ['zero deposit', 'POST', '/accounts/alice/deposit', { amount: 0 }],
  ['1e309 deposit', 'POST', '/accounts/alice/deposit', undefined, raw('{"amount":1e309}')],
  ['deposit past 2^53-1', 'POST', '/accounts/max/deposit', { amount: 1 }],
  ['deposit to an unopened account', 'POST', '/accounts/nobody/deposit', { amount: 1 }],
  ['NUL in path id', 'POST', '/accounts/abc%00/deposit', { amount: 1 }],
  ['withdraw beyond balance', 'POST', '/accounts/alice/withdraw', { amount: 1_000_000 }],
  ['unknown consistency', 'POST', '/accounts/alice/deposit?consistency=sometimes', { amount: 1 }],
  ['repeated consistency', 'POST', '/accounts/alice/deposit?consistency=strong&consistency=eventual', { amount: 1 }],
  ['bracketed consistency', 'POST', '/accounts/alice/deposit?consistency[]=strong', { amount: 1 }],
  ['Idempotency-Key with a space', 'POST', '/accounts/alice/deposit', { amount: 1 }, key('a b')],
  ['Idempotency-Key of 201 characters', 'POST', '/accounts/alice/deposit', { amount: 1 }, key('k'.repeat(201))],
  ['If-Match without quotes', 'POST', '/accounts/alice/deposit', { amount: 1 }, precondition({ 'if-match': '1' })],
  ['If-Match listing two versions', 'POST', '/accounts/alice/deposit', { amount: 1 }, precondition({ 'if-match': 'W/"1", W/"2"' })],
  ['If-Match of a negative version', 'POST', '/accounts/alice/deposit', { amount: 1 }, precondition({ 'if-match': 'W/"-1"' })],
  ['If-Match past the largest version', 'POST', '/accounts/alice/deposit', { amount: 1 }, precondition({ 'if-match': 'W/"9999999999"' })],
  ['If-None-Match of a version on a command', 'POST', '/accounts/alice/deposit', { amount: 1 }, precondition({ 'if-none-match': 'W/"1"' })],
  [
    'If-Match and If-None-Match together',
    'POST',
    '/accounts',
    { accountId: 'both', initialBalance: 1 },
    precondition({ 'if-match': '*', 'if-none-match': '*' }),
  ],
  ['stale If-Match', 'POST', '/accounts/alice/withdraw', { amount: 1 }, precondition({ 'if-match': 'W/"0"' })],
  ['If-Match * on an unopened account', 'POST', '/accounts/nobody/deposit', { amount: 1 }, precondition({ 'if-match': '*' })],
  ['If-None-Match * on an open account', 'POST', '/accounts', { accountId: 'alice', initialBalance: 1 }, precondition({ 'if-none-match': '*' })],
  ['If-Match on forgetting a holder', 'DELETE', '/accounts/alice/holder', undefined, precondition({ 'if-match': 'W/"1"' })],
  ['transfer to itself', 'POST', '/transfers', { transferId: 'self', from: 'alice', to: 'alice', amount: 1 }],
  ['transfer of 0', 'POST', '/transfers', { transferId: 'zero', from: 'alice', to: 'max', amount: 0 }],
  ['transfer without id', 'POST', '/transfers', { from: 'alice', to: 'max', amount: 1 }],
  ['transfer id reused', 'POST', '/transfers', { transferId: 'done', from: 'alice', to: 'max', amount: 1 }],
  ['GET with NUL id', 'GET', '/accounts/abc%00', undefined],
  ['GET transfer with quote id', 'GET', "/transfers/a'b", undefined],
];

const counts = (schema: string) =>
  withClient(async (client) => {
    const { rows } = await client.query(
      `SELECT (SELECT count(*) FROM "${schema}".events) AS events, (SELECT count(*) FROM "${schema}".snapshots) AS snapshots`,
    );
    return rows[0];
  });

describe('faults: bad input over HTTP', () => {
  let faults: FaultBank;

  beforeAll(async () => {
    faults = await startFaultBank({ nodes: 1, modeEnv: faultsMode().env });
    const http = faults.cluster.node(0).http;
    await http.post('/accounts?consistency=strong', { accountId: 'alice', initialBalance: 100 });
    await http.post('/accounts?consistency=strong', { accountId: 'max', initialBalance: Number.MAX_SAFE_INTEGER });
    await http.post('/accounts?consistency=strong', { accountId: 'bob', initialBalance: 0 });
    await http.post('/transfers', { transferId: 'done', from: 'alice', to: 'bob', amount: 1 });
  });
  afterAll(() => faults?.close());

  it(`answers ${ATTEMPTS.length} bad requests with a typed 4xx JSON error and writes nothing`, async () => {
    const http = faults.cluster.node(0).http;
    // Let the transfer of the setup finish, so nothing moves while the bad inputs are tried.
    await eventually(async () => expect((await http.get('/transfers/done')).body).toMatchObject({ status: 'completed' }));
    const before = await counts(faults.schema.name);
    const wrong: string[] = [];
    for (const [label, method, path, body, options] of ATTEMPTS) {
      const response = await http.request<{ code?: unknown; message?: unknown }>(method, path, body, options);
      const typed = typeof response.body?.code === 'string' && typeof response.body?.message === 'string';
      if (response.status < 400 || response.status >= 500 || !typed) wrong.push(`${label}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    expect(wrong).toEqual([]);
    expect(await counts(faults.schema.name)).toEqual(before);
    expect(faults.cluster.node(0).logs()).not.toMatch(/ERROR/);
    report('bad input over HTTP', { tried: ATTEMPTS.length, written: 0 });
  });
});
