import type { INestApplication } from '@nestjs/common';
import { CommandGateway, EventHandler, On, TelemetryAttributes as A, Tenants } from '../../lib/index.js';
import { waitForHandler } from '../../lib/testing/index.js';
import { Counter, Increment, Incremented } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { installOpenTelemetry, type InstalledSdk } from './open-telemetry-sdk.js';

@EventHandler({ name: 'counted' })
class Counted {
  @On(Incremented)
  counted() {}
}

const sdk: InstalledSdk = installOpenTelemetry();
let app: INestApplication;

describe("a tenant's engine in OpenTelemetry", () => {
  beforeAll(async () => {
    app = await createApp({
      aggregates: [Counter],
      providers: [Counted],
      options: { nodeName: 'node-1', eventStore: { adapter: 'memory' }, tenants: { initial: ['acme', 'globex'] } },
    });
  });
  afterAll(async () => {
    await app?.close();
    await sdk.uninstall();
  });

  it('names the tenant on every span and on the figures of each engine, so two tenants never report as one', async () => {
    const gateway = app.get(CommandGateway);
    await gateway.dispatch(new Increment('c1', 1), { tenant: 'acme' });
    await gateway.dispatch(new Increment('c1', 2), { tenant: 'globex' });
    await gateway.dispatch(new Increment('c2', 2), { tenant: 'globex' });
    for (const tenant of ['acme', 'globex']) {
      const { store } = await app.get(Tenants).engine(tenant);
      await waitForHandler(store, 'counted', await store.headPosition());
    }

    const executed = sdk.spans().filter((span) => span.name === 'execute Increment');
    expect(executed.map((span) => [span.attributes[A.tenant], span.attributes[A.node]]).sort()).toEqual([
      ['acme', 'node-1'],
      ['globex', 'node-1'],
      ['globex', 'node-1'],
    ]);
    const handled = sdk.spans().filter((span) => span.name === 'handle Incremented');
    expect(handled.map((span) => span.attributes[A.tenant]).sort()).toEqual(['acme', 'globex', 'globex']);

    const live = await sdk.points('eventsourcing.aggregates.live');
    const liveOf = (tenant: string) => live.find((point) => point.attributes[A.tenant] === tenant)?.value;
    expect([liveOf('acme'), liveOf('globex')]).toEqual([1, 2]);
    const lag = await sdk.points('eventsourcing.subscription.lag');
    expect(
      lag
        .filter((point) => point.attributes[A.subscription] === 'counted')
        .map((point) => point.attributes[A.tenant])
        .sort(),
    ).toEqual(['acme', 'globex']);
    const appends = await sdk.points<{ count: number }>('eventsourcing.append.duration');
    const appendsOf = (tenant: string) => appends.filter((point) => point.attributes[A.tenant] === tenant).reduce((n, p) => n + p.value.count, 0);
    expect([appendsOf('acme'), appendsOf('globex')]).toEqual([1, 2]);
  });
});
