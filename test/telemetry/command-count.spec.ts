import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { CommandGateway, TelemetryAttributes as A } from '../../lib/index.js';
import { Counter, Increment } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { installOpenTelemetry } from './open-telemetry-sdk.js';

const sdk = installOpenTelemetry();

describe('the commands counter', () => {
  const apps: INestApplication[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await sdk.uninstall();
  });

  it('counts each command once when two applications of one process share the meter, and keeps counting after one closes', async () => {
    apps.push(await createApp({ aggregates: [Counter] }), await createApp({ aggregates: [Counter] }));
    const [first, second] = apps.map((app) => app.get(CommandGateway));
    const id = `c-${randomUUID()}`;
    await first.dispatch(new Increment(id, 1));
    await first.dispatch(new Increment(id, 1));
    await second.dispatch(new Increment(id, 1));
    await expect(second.dispatch(new Increment(id, 2_000_000))).rejects.toMatchObject({ code: 'TOO_HIGH' });
    const counted = async () =>
      (await sdk.points('eventsourcing.commands'))
        .map((p) => [p.attributes[A.commandType], p.attributes[A.outcome], p.attributes[A.errorType], p.value])
        .sort();
    expect(await counted()).toEqual([
      ['Increment', 'error', 'TOO_HIGH', 1],
      ['Increment', 'ok', undefined, 3],
    ]);

    await apps.shift()!.close();
    await second.dispatch(new Increment(id, 1));
    expect(await counted()).toEqual([
      ['Increment', 'error', 'TOO_HIGH', 1],
      ['Increment', 'ok', undefined, 4],
    ]);
  });
});
