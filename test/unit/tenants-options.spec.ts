import { InMemoryEventStore } from '../../lib/index.js';
import { resolveOptions } from '../../lib/resolve-options.js';
import { problemsOf } from '../fixtures/option-problems.js';

const postgres = { adapter: 'postgres', connectionString: 'postgres://postgres@127.0.0.1:5432/test' } as const;

describe('the tenants option', () => {
  it('fills its defaults and leaves the module without tenants when absent', () => {
    expect(resolveOptions({ eventStore: postgres }).tenants).toBeUndefined();
    expect(resolveOptions({ eventStore: postgres, tenants: {} }).tenants).toEqual({ initial: [], refreshInterval: 5000 });
  });

  it('names every problem at once, saying what to change', () => {
    const problems = problemsOf({
      eventStore: new InMemoryEventStore(),
      registry: 'global',
      pubsub: 'global',
      cluster: { listen: { host: '127.0.0.1', port: 0 } },
      tenants: { initial: ['acme', 'Bad-Id', ''], refreshInterval: 0 },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        `'tenants' needs 'registry' 'local': each tenant's engine has no cluster of its own to route to`,
        `'tenants' needs 'pubsub' 'local' or Redis: each tenant's engine has no cluster of its own to publish on`,
        `'tenants.eventStore' is required when 'eventStore' is an EventStore instance: a tenant's store cannot be derived from one`,
        expect.stringMatching(/^'tenants.initial': tenant id "Bad-Id" must be 1 to 40 lower-case letters/),
        expect.stringMatching(/^'tenants.initial': tenant id "" must be/),
        `'tenants.refreshInterval' must be a positive number of ms, got 0`,
      ]),
    );
    expect(problems.filter((p) => p.includes('acme'))).toEqual([]);
  });

  it('takes a shared pool size only for stores derived from a PostgreSQL store', () => {
    expect(resolveOptions({ eventStore: postgres, tenants: { poolSize: 4 } }).tenants).toEqual({ initial: [], refreshInterval: 5000, poolSize: 4 });
    expect(problemsOf({ eventStore: postgres, tenants: { poolSize: 0 } })).toEqual([`'tenants.poolSize' must be a whole number of 1 or more, got 0`]);
    const onlyDerived = `'tenants.poolSize' shares one pool among stores derived from a PostgreSQL 'eventStore': drop it, or drop 'tenants.eventStore'`;
    expect(problemsOf({ eventStore: { adapter: 'memory' }, tenants: { poolSize: 4 } })).toEqual([onlyDerived]);
    expect(problemsOf({ eventStore: postgres, tenants: { poolSize: 4, eventStore: () => postgres } })).toEqual([onlyDerived]);
  });

  it('refuses a tenants option that is not an object, or a store factory that is not a function', () => {
    expect(problemsOf({ eventStore: postgres, tenants: 'acme' })).toEqual([`'tenants' must be an object, got "acme"`]);
    expect(problemsOf({ eventStore: postgres, tenants: { eventStore: postgres } })).toEqual([
      `'tenants.eventStore' must be a function (tenantId) => event store options`,
    ]);
    expect(problemsOf({ eventStore: postgres, tenants: { initial: 'acme' } })).toEqual([`'tenants.initial' must be an array of tenant ids`]);
  });

  it('accepts a store instance when each tenant has its own store factory', () => {
    const options = resolveOptions({ eventStore: new InMemoryEventStore(), tenants: { eventStore: () => ({ adapter: 'memory' }) } });
    expect(typeof options.tenants?.eventStore).toBe('function');
  });
});
