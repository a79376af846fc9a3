import { jest } from '@jest/globals';
import { ownerOf } from '../../lib/cluster/rendezvous.js';
import { bank } from '../harness/bank.js';
import { awaitMembers, type ClusterNodes, startClusterNodes } from './cluster-nodes.js';

jest.setTimeout(180_000);

let nodes: ClusterNodes;
beforeAll(async () => {
  nodes = await startClusterNodes(2);
});
afterAll(() => nodes?.close());

describe('cluster: If-Match on a command sent to a node that does not own the account', () => {
  it('is judged on the owner and answered 412 with the current version by the node that was asked', async () => {
    const { cluster } = nodes;
    const [asked, owner] = cluster.nodes;
    await awaitMembers(cluster.nodes, cluster.nodes);
    const names = cluster.nodes.map((node) => node.name).sort();
    const accountId = Array.from({ length: 100 }, (_, i) => `remote-${i}`).find((id) => ownerOf(`account-${id}`, names) === owner.name)!;
    const send = (path: string, ifMatch: string, body: unknown) => asked.http.exchange('POST', path, body, { headers: { 'if-match': ifMatch } });
    const executedOnOwner = async () => (await bank.health(owner)).aggregates.executed;

    expect(await asked.http.exchange('POST', '/accounts', { accountId, initialBalance: 10 }, { headers: { 'if-none-match': '*' } })).toMatchObject({
      status: 201,
    });
    const before = await executedOnOwner();
    const deposited = await send(`/accounts/${accountId}/deposit`, 'W/"1"', { amount: 5 });
    expect(deposited).toMatchObject({ status: 200, body: { version: 2 } });
    expect(deposited.headers.get('etag')).toBe('W/"2"');

    const stale = await send(`/accounts/${accountId}/withdraw`, 'W/"1"', { amount: 15 });
    expect(stale).toMatchObject({ status: 412, body: { code: 'WRONG_EXPECTED_VERSION', currentVersion: 2 } });
    expect(stale.headers.get('etag')).toBe('W/"2"');
    const reopened = await asked.http.exchange('POST', '/accounts', { accountId, initialBalance: 1 }, { headers: { 'if-none-match': '*' } });
    expect(reopened).toMatchObject({ status: 412, body: { currentVersion: 2 } });
    // All of it ran on the owner: the deposit there, and the refusals too, since the node asked never loaded the account.
    expect((await executedOnOwner()) - before).toBe(1);
    expect((await bank.health(asked)).aggregates.live).toBe(0);
    expect((await nodes.accountEvents(accountId)).map((event) => event.eventType)).toEqual(['AccountOpened', 'MoneyDeposited']);
  });
});
