import { request } from 'node:http';
import { jest } from '@jest/globals';
import type { RecordedEvent } from '../../lib/event-store/recorded-event.js';
import { bank } from '../harness/bank.js';
import type { HttpResponse } from '../harness/http-client.js';
import type { SampleNode } from '../harness/sample-node.js';
import { awaitMembers, type ClusterNodes, startClusterNodes } from './cluster-nodes.js';
import { accountsOwnedBy, acknowledgedMore, type Deposit, depositLoad, expectAcknowledgedStored, TYPED_FAILURES } from './deposit-load.js';

jest.setTimeout(600_000);

/** Acknowledged deposits per account before the freeze, while frozen, and after it is back. */
const PHASE = 5;

let nodes: ClusterNodes;
beforeAll(async () => {
  nodes = await startClusterNodes(3);
});
afterAll(() => nodes?.close());

/**
 * POSTs on a connection of its own. On a pooled keep-alive connection, the node resuming would first
 * run the idle timer that expired while it was frozen, and close the connection with the request unread.
 */
function postOnNewConnection(node: SampleNode, path: string, body: unknown): Promise<HttpResponse<{ version?: number; code?: string }>> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
    const sent = request(`${node.url}${path}`, { method: 'POST', agent: false, headers, timeout: 120_000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as { code?: string }) : {} }));
    });
    sent.on('timeout', () => sent.destroy(new Error(`${node.name} did not answer ${path}`)));
    sent.on('error', reject);
    sent.end(payload);
  });
}

/** Each deposit was decided on the balance before it: no event was written from stale state. */
function expectDecidedOnCurrentState(events: RecordedEvent[]): void {
  let balance = 0;
  for (const event of events) {
    const data = event.data as { initialBalance?: number; amount?: number; balance?: number };
    balance =
      event.eventType === 'AccountOpened' ? data.initialBalance! : balance + (event.eventType === 'MoneyDeposited' ? data.amount! : -data.amount!);
    if (event.eventType !== 'AccountOpened')
      expect({ version: event.streamVersion, balance: data.balance }).toEqual({ version: event.streamVersion, balance });
  }
}

describe('cluster: an owner frozen past the node timeout, then resumed', () => {
  it('is replaced while frozen, appends nothing stale once resumed, and its in-flight commands end typed or succeed once', async () => {
    const { cluster } = nodes;
    await awaitMembers(cluster.nodes, cluster.nodes);
    const names = cluster.nodes.map((n) => n.name);
    const victim = cluster.node(0);
    const survivors = cluster.nodes.slice(1);
    const accounts = accountsOwnedBy(victim.name, names, 'pause', 3);
    for (const id of accounts) expect((await bank.openAccount(survivors[0], id, 0)).status).toBe(201);

    let stop = false;
    const record: Deposit[] = [];
    const load = depositLoad(
      () => survivors,
      accounts,
      () => stop,
      { record },
    );
    const eachAccount = async (since: number) => {
      for (const id of accounts) await acknowledgedMore(record, PHASE, (d) => d.accountId === id && d.sentAt >= since);
    };
    await eachAccount(0);
    // Deposits sent to the victim itself just before it freezes, with amounts no other deposit uses.
    const inFlight: Promise<Deposit>[] = accounts.map(async (accountId, i) => {
      const amount = 100_000 + i;
      const sentAt = Date.now();
      const response = await postOnNewConnection(victim, `/accounts/${accountId}/deposit`, { amount });
      return { accountId, amount, via: victim.name, sentAt, doneAt: Date.now(), status: response.status, body: response.body };
    });
    victim.pause();
    await awaitMembers(survivors, survivors, 60_000);
    // The survivors own its accounts now and serve them while it is frozen.
    await eachAccount(Date.now());
    victim.resume();
    const stranded = await Promise.all(inFlight);
    await awaitMembers(cluster.nodes, cluster.nodes, 60_000);
    await eachAccount(Date.now());
    stop = true;
    const deposits = [...(await load), ...stranded];

    const failed = deposits.filter((d) => d.status !== 200);
    console.log(
      `${deposits.length} deposits, ${failed.length} failed (${[...new Set(failed.map((d) => d.body.code))].join(', ')}); ` +
        `the frozen node's own: ${stranded.map((d) => d.status + (d.body.code ? ` ${d.body.code}` : '')).join(', ')}`,
    );
    for (const d of stranded) expect(d.status === 200 || TYPED_FAILURES.includes(d.body.code ?? '')).toBe(true);
    for (const id of accounts) {
      const events = await nodes.accountEvents(id);
      expectAcknowledgedStored(deposits, events, id);
      expectDecidedOnCurrentState(events);
    }
  });
});
