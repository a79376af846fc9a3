import { problemsOf } from '../fixtures/option-problems.js';
import { resolveOptions } from '../../lib/resolve-options.js';

const memory = { adapter: 'memory' } as const;

describe('cluster options', () => {
  it('fills the defaults and takes the node name from the cluster options first', () => {
    const options = resolveOptions({
      eventStore: memory,
      registry: 'global',
      nodeName: 'outer',
      cluster: { listen: { host: '127.0.0.1', port: 0 } },
    });
    expect(options.cluster).toEqual({
      nodeName: 'outer',
      listen: { host: '127.0.0.1', port: 0 },
      advertise: undefined,
      discovery: 'store',
      heartbeatInterval: 500,
      nodeTimeout: 3000,
      requestTimeout: 5000,
    });
    const named = resolveOptions({
      eventStore: memory,
      pubsub: 'global',
      nodeName: 'outer',
      cluster: { nodeName: 'inner', listen: { host: 'h', port: 1 } },
    });
    expect(named.nodeName).toBe('inner');
    expect(named.cluster?.nodeName).toBe('inner');
    expect(resolveOptions({ eventStore: memory }).cluster).toBeUndefined();
  });

  it('requires the cluster options in cluster mode, naming what asked for them', () => {
    expect(problemsOf({ eventStore: memory, registry: 'global' })).toEqual([
      `'cluster' is required with 'registry' 'global': { listen: { host, port }, discovery: 'store' | { nodes: ['host:port', ...] } }`,
    ]);
    expect(problemsOf({ eventStore: memory, registry: 'global', pubsub: 'global' })[0]).toContain(`'registry' 'global' and 'pubsub' 'global'`);
  });

  it('names each bad key', () => {
    const problems = problemsOf({
      eventStore: memory,
      registry: 'global',
      cluster: {
        listen: { host: '127.0.0.1', port: 70000 },
        advertise: { host: '', port: 1 },
        discovery: { nodes: ['no-port'] },
        heartbeatInterval: 0,
        nodeTimeout: 'soon',
        requestTimeout: -5,
      },
    });
    expect(problems).toEqual([
      `'cluster.listen' must be { host, port } with a port 0-65535, got {"host":"127.0.0.1","port":70000}`,
      `'cluster.advertise' must be { host, port } with a port 1-65535, got {"host":"","port":1}`,
      `'cluster.discovery' must be 'store' or { nodes: ['host:port', ...] }, got {"nodes":["no-port"]}`,
      `'cluster.heartbeatInterval' must be a positive number of ms, got 0`,
      `'cluster.nodeTimeout' must be a positive number of ms, got "soon"`,
      `'cluster.requestTimeout' must be a positive number of ms, got -5`,
      `'cluster.nodeTimeout' (soon) must be at least twice 'cluster.heartbeatInterval' (0)`,
    ]);
    expect(
      problemsOf({ eventStore: memory, pubsub: 'global', cluster: { listen: { host: 'h', port: 1 }, heartbeatInterval: 1000, nodeTimeout: 1500 } }),
    ).toEqual([`'cluster.nodeTimeout' (1500) must be at least twice 'cluster.heartbeatInterval' (1000)`]);
  });

  it('accepts a static node list', () => {
    const options = resolveOptions({
      eventStore: memory,
      registry: 'global',
      cluster: { listen: { host: '127.0.0.1', port: 7001 }, discovery: { nodes: ['127.0.0.1:7001', '127.0.0.1:7002'] } },
    });
    expect(options.cluster?.discovery).toEqual({ nodes: ['127.0.0.1:7001', '127.0.0.1:7002'] });
  });
});
