import { randomUUID } from 'node:crypto';
import {
  Aggregate,
  Apply,
  CommandGateway,
  DomainEvent,
  Execute,
  InMemoryEventStore,
  isConfigurationError,
  isMissingApply,
  MissingApplyError,
} from '../../lib/index.js';
import { AggregateScenario } from '../../lib/testing/index.js';
import { createApp } from '../fixtures/create-app.js';
import { failure } from '../fixtures/failure.js';
import { Credited, Debit, Ledger } from '../fixtures/ledger.js';

@DomainEvent('OrderPaid')
class OrderPaid {
  constructor(readonly orderId: string) {}
}

@DomainEvent('ReceiptPrinted')
class ReceiptPrinted {
  constructor(readonly orderId: string) {}
}

class PayOrder {
  constructor(readonly orderId: string) {}
}

/** Forgets to apply its payment: paying twice would look like paying once. */
@Aggregate({ identity: 'orderId', prefix: 'order-' })
class Order {
  paid = false;

  @Execute(PayOrder)
  pay({ orderId }: PayOrder) {
    if (this.paid) return [];
    return [new ReceiptPrinted(orderId), new OrderPaid(orderId)];
  }

  @Apply(ReceiptPrinted)
  printed() {}
}

/** Emits a receipt it has no use for, on purpose. */
@Aggregate({ identity: 'orderId', prefix: 'till-', unhandledEvents: 'ignore' })
class Till {
  @Execute(PayOrder)
  pay({ orderId }: PayOrder) {
    return new OrderPaid(orderId);
  }
}

describe('an event its aggregate has no @Apply for', () => {
  it('is refused at execution with nothing written', async () => {
    const store = new InMemoryEventStore();
    const app = await createApp({ aggregates: [Order], options: { eventStore: store } });
    const id = randomUUID();
    const error = await failure(app.get(CommandGateway).dispatch(new PayOrder(id)));
    expect(isMissingApply(error)).toBe(true);
    expect(error).toBeInstanceOf(MissingApplyError);
    expect(error).toMatchObject({ aggregateType: 'Order', eventType: 'OrderPaid' });
    expect(error.message).toMatch(/Order produced OrderPaid.*no @Apply.*add an @Apply\(OrderPaid\) method to Order.*unhandledEvents: 'ignore'/);
    expect(await store.streamVersion(`order-${id}`)).toBe(0);
    await app.close();
  });

  it('is stored when the aggregate opts out (and the class is registered for reading elsewhere)', async () => {
    const store = new InMemoryEventStore();
    const app = await createApp({ aggregates: [Till], options: { eventStore: store, events: [OrderPaid] } });
    const id = randomUUID();
    await app.get(CommandGateway).dispatch(new PayOrder(id));
    expect((await store.readStream(`till-${id}`)).map((event) => event.eventType)).toEqual(['OrderPaid']);
    await app.close();
  });

  it('fails boot when the opt-out is malformed', async () => {
    @Aggregate({ identity: 'orderId', unhandledEvents: 'skip' as 'ignore' })
    class Sloppy {
      @Execute(PayOrder)
      pay() {
        return [];
      }
    }
    const error = await failure(createApp({ aggregates: [Sloppy] }));
    expect(isConfigurationError(error)).toBe(true);
    expect(error.message).toMatch(/@Aggregate on Sloppy: 'unhandledEvents' must be 'refuse' or 'ignore', got "skip"/);
  });
});

describe('AggregateScenario', () => {
  it('refuses an event without @Apply the same way', async () => {
    const outcome = await AggregateScenario.for(Order).when(new PayOrder('o'));
    outcome.thenError(MissingApplyError, 'MISSING_APPLY');
    expect(outcome.events).toEqual([]);
    expect(outcome.state.paid).toBe(false);
  });

  it('shows the state of the given events after a command that changed it and threw', async () => {
    const outcome = await AggregateScenario.for(Ledger)
      .given(new Credited('l', 100, 100))
      .when(new Debit('l', 30, 'crash'));
    outcome.thenError(Error).thenState((state) => expect(state.balance).toBe(100));
  });
});
