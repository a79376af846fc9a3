import { jest } from '@jest/globals';
import { killAllChildren } from './child-registry.js';
import { startCluster, type SampleCluster } from './sample-cluster.js';

// The harness itself, on the memory store: every node is a separate bank with its own data.
jest.setTimeout(120_000);

let cluster: SampleCluster | undefined;

afterEach(async () => {
  await cluster?.stop().catch(() => undefined);
  cluster = undefined;
  await killAllChildren();
});

describe('sample cluster harness', () => {
  it('starts real processes on distinct ports that answer over HTTP under their own names', async () => {
    cluster = await startCluster({ nodes: 2, env: { EVENT_STORE: 'memory' }, namePrefix: 'harness' });
    const [a, b] = cluster.nodes;
    expect(a.port).not.toBe(b.port);
    expect(a.pid).not.toBe(b.pid);
    expect((await a.http.get('/status')).body.node).toBe('harness-0');
    expect((await b.http.get('/status')).body.node).toBe('harness-1');
    expect((await a.http.post('/accounts', { accountId: 'acc-1', initialBalance: 5 })).status).toBe(201);
    expect((await a.http.get('/accounts/acc-1')).body).toEqual({ accountId: 'acc-1', balance: 5, version: 1 });
    // Separate processes with separate memory stores.
    expect((await b.http.get('/accounts/acc-1')).status).toBe(404);
  });

  it('freezes and thaws a node', async () => {
    cluster = await startCluster({ nodes: 1, env: { EVENT_STORE: 'memory' } });
    const node = cluster.node(0);
    node.pause();
    await expect(node.http.get('/status', { timeout: 500 })).rejects.toThrow();
    node.resume();
    expect((await node.http.get('/status')).status).toBe(200);
  });

  it('kills -9 and restarts a node on the same port as a new process', async () => {
    cluster = await startCluster({ nodes: 1, env: { EVENT_STORE: 'memory' } });
    const node = cluster.node(0);
    const [port, pid] = [node.port, node.pid];
    await node.http.post('/accounts', { accountId: 'acc-1', initialBalance: 5 });

    expect(await node.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(node.running).toBe(false);
    await expect(node.http.get('/status', { timeout: 1000 })).rejects.toThrow();

    await node.start();
    expect([node.port, node.pid === pid]).toEqual([port, false]);
    expect((await node.http.get('/accounts/acc-1')).status).toBe(404);
  });

  it('stops a node on SIGTERM within the timeout, even while it is paused', async () => {
    cluster = await startCluster({ nodes: 1, env: { EVENT_STORE: 'memory' } });
    const node = cluster.node(0);
    node.pause();
    expect(await node.stop(10_000)).toEqual({ code: 0, signal: null });
    await node.waitForLog(/^stopped$/, 0);
    await node.restart();
    expect((await node.http.get('/status')).status).toBe(200);
  });

  it('reports a node that cannot start, with its output', async () => {
    const failure = await startCluster({ nodes: 1, env: { EVENT_STORE: 'nonsense' } }).catch((error: unknown) => error);
    expect(String(failure)).toContain('exited');
    expect(String(failure)).toContain('EVENT_STORE must be one of');
  });
});
