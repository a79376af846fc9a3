import { randomUUID } from 'node:crypto';
import { Injectable, type INestApplication } from '@nestjs/common';
import { CommandGateway, DomainEvent, EventSourcingHealthIndicator, InMemoryEventStore, isUnknownEventType, On, Projector } from '../../lib/index.js';
import { Counter, Increment } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { failure } from '../fixtures/failure.js';
import { captureLogs, type LogLine } from '../harness/captured-logs.js';
import { eventually } from '../harness/eventually.js';

/** Version 2 of its schema, with no upcaster from version 1: stored version-1 events cannot be read. */
@DomainEvent('unreadable-priced', { version: 2 })
class Priced {
  constructor(readonly cents: number) {}
}

@Injectable()
@Projector({ name: 'unreadable-prices', errorPolicy: 'park' })
class Prices {
  @On(Priced)
  priced() {
    return undefined;
  }
}

@Injectable()
@Projector({ name: 'unreadable-halting', errorPolicy: 'stop' })
class HaltingPrices {
  @On(Priced)
  priced() {
    return undefined;
  }
}

const errors = (lines: LogLine[]) => lines.filter((line) => line.level === 'error').map((line) => line.message);

describe('stored events this code cannot read', () => {
  let app: INestApplication;
  let store: InMemoryEventStore;
  let logs: ReturnType<typeof captureLogs> | undefined;

  const boot = async (providers: Array<new () => object> = []) => {
    store = new InMemoryEventStore();
    app = await createApp({ aggregates: [Counter], providers, options: { eventStore: store } });
    logs = captureLogs();
  };
  const ready = () => app.get(EventSourcingHealthIndicator).isReady();

  afterEach(async () => {
    logs?.restore();
    logs = undefined;
    await app?.close();
  });

  it('turn readiness red and are logged when an aggregate meets one', async () => {
    await boot();
    expect((await ready())['event-sourcing'].status).toBe('up');
    await store.appendToStream('counter-x', 0, [{ eventId: randomUUID(), eventType: 'Decremented', data: {} }]);
    const error = await failure(app.get(CommandGateway).dispatch(new Increment('x')));
    expect(isUnknownEventType(error)).toBe(true);
    expect(error.message).toContain(`Event type 'Decremented' stored in stream 'counter-x' at version 1`);
    expect(error.message).toContain('EventSourcingModule.forFeature({ events: [...] })');

    const answer = (await ready())['event-sourcing'];
    expect(answer.status).toBe('down');
    expect(answer.problems).toEqual([expect.stringMatching(/^unreadable event: Event type 'Decremented' stored in stream 'counter-x' at version 1/)]);
    expect(errors(logs!.lines)).toContainEqual(expect.stringMatching(/Event type 'Decremented' stored in stream 'counter-x' at version 1 .*@Apply/));
  });

  it.each([
    ['parks', Prices, 'unreadable-prices'],
    ['halts', HaltingPrices, 'unreadable-halting'],
  ])('turn readiness red and are logged when a subscription %s on one', async (_how, projector, name) => {
    await boot([projector]);
    await store.appendToStream('prices-1', 0, [
      { eventId: randomUUID(), eventType: 'unreadable-priced', data: { cents: 5 }, metadata: { schemaVersion: 1 } },
    ]);
    const answer = await eventually(async () => {
      const result = (await ready())['event-sourcing'];
      expect(result.status).toBe('down');
      return result;
    });
    expect(answer.problems).toEqual([
      expect.stringMatching(
        new RegExp(`^subscription '${name}' met an unreadable event: Event type 'unreadable-priced' v1 stored in stream 'prices-1' at position 1`),
      ),
    ]);
    expect(answer.subscriptions[name].unreadable).toMatchObject({ eventType: 'unreadable-priced', streamId: 'prices-1', position: 1 });
    const logged = errors(logs!.lines).filter((line) => line.includes(name));
    expect(logged[0]).toMatch(/'unreadable-priced' v1 stored in stream 'prices-1' at position 1.*upcaster/);
  });
});
