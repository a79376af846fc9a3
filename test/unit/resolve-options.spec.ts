import { problemsOf } from '../fixtures/option-problems.js';
import { resolveOptions } from '../../lib/resolve-options.js';

describe('resolveOptions', () => {
  it('fills every default', () => {
    const options = resolveOptions({ eventStore: { adapter: 'memory' } });
    expect(options.registry).toBe('local');
    expect(options.pubsub).toBe('local');
    expect(options.commands).toEqual({
      timeout: 5000,
      maxAttempts: 10,
      consistency: 'eventual',
      middleware: [],
      idempotencyRetention: 7 * 24 * 60 * 60 * 1000,
    });
    expect(options.aggregates).toEqual({ idleTimeout: 300_000, maxInstances: 10_000, invalidation: true });
    expect(options.subscriptions.errorPolicy).toBe('retry');
    expect(options.subscriptions.schedulePollInterval).toBe(1000);
    expect(options.nodeName).toMatch(/-\d+$/);
    expect(options.telemetry).toEqual({ enabled: true });
  });

  it('names the bad key and the accepted values', () => {
    expect(problemsOf({ eventStore: { adapter: 'memory', partitioning: { rangeSize: 1000 } } as never })).toEqual([
      `'eventStore.partitioning' needs the postgres or embedded adapter: the memory store keeps no table to partition`,
    ]);
    expect(problemsOf({ eventStore: { adapter: 'mysql' } })[0]).toMatch(
      /'eventStore.adapter' must be one of 'memory', 'postgres', 'embedded'.*"mysql"/,
    );
    expect(problemsOf({ eventStore: { adapter: 'memory' }, registry: 'swarm' })).toEqual([
      `'registry' must be one of 'local', 'global', got "swarm"`,
    ]);
    expect(problemsOf({ eventStore: { adapter: 'memory' }, pubsub: 'kafka' })[0]).toMatch(/'pubsub' must be one of 'local', 'global' or/);
    expect(problemsOf({ eventStore: { adapter: 'memory' }, commands: { timeout: -1 } })).toEqual([
      `'commands.timeout' must be a positive number, got -1`,
    ]);
    expect(problemsOf({ eventStore: { adapter: 'memory' }, commands: { idempotencyRetention: 'week' } })).toEqual([
      `'commands.idempotencyRetention' must be a positive number, got "week"`,
    ]);
    expect(problemsOf({ eventStore: { adapter: 'memory' }, subscriptions: { errorPolicy: 'ignore' } })[0]).toMatch(/'subscriptions.errorPolicy'/);
    expect(problemsOf({ eventStore: { adapter: 'memory' }, subscriptions: { schedulePollInterval: 0 } })).toEqual([
      `'subscriptions.schedulePollInterval' must be a positive number, got 0`,
    ]);
    expect(problemsOf({ eventStore: { adapter: 'memory' }, aggregates: { invalidation: 'yes' } })[0]).toMatch(
      /'aggregates.invalidation' must be true or false/,
    );
    expect(problemsOf({ eventStore: { adapter: 'memory' }, telemetry: false })).toEqual([`'telemetry' must be { enabled: true | false }, got false`]);
    for (const upcasters of [{}, [{ eventType: 'A', fromVersion: 1 }], [{ eventType: 'A', fromVersion: '1', upcast: () => ({}) }]]) {
      expect(problemsOf({ eventStore: { adapter: 'memory' }, upcasters })).toEqual([
        `'upcasters' must be an array of { eventType, fromVersion, upcast(data, metadata) }`,
      ]);
    }
    expect(problemsOf({ eventStore: { adapter: 'memory' }, telemetry: { enabled: 'no' } })).toEqual([
      `'telemetry' must be { enabled: true | false }, got {"enabled":"no"}`,
    ]);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ eventStore: {}, registry: 1, commands: { maxAttempts: 0 } })).toHaveLength(3);
  });
});
