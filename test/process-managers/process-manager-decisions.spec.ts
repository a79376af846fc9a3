import {
  ConfigurationError,
  ContinuedBy,
  DomainEvent,
  isInvalidSchedule,
  type ProcessContext,
  type ProcessErrorContext,
  ProcessErrorDecision,
  ProcessManager,
  StartedBy,
  StoppedBy,
} from '../../lib/index.js';
import { ProcessManagerScenario } from '../../lib/testing/index.js';
import { DepositMoney, TransferProcess, TransferRequested, WithdrawMoney } from './fixtures/transfer-process.js';

@DomainEvent('DcOrderSubmitted')
class OrderSubmitted {
  constructor(
    readonly orderId: string,
    readonly amount: number,
  ) {}
}

@DomainEvent('DcOrderShipped')
class OrderShipped {
  constructor(readonly orderId: string) {}
}

@DomainEvent('DcOrderDelivered')
class OrderDelivered {
  constructor(readonly orderId: string) {}
}

class ChargeCard {
  constructor(
    readonly orderId: string,
    readonly amount: number,
  ) {}
}
class NotifyClerk {
  constructor(readonly orderId: string) {}
}
class RefundOrder {
  constructor(readonly orderId: string) {}
}
class ExpireOrder {
  constructor(readonly orderId: string) {}
}

type Decide = (error: unknown, command: object, context: ProcessErrorContext) => ProcessErrorDecision;

/** Charges, then notifies; an order left unshipped expires after an hour. What onError decides is set per test. */
@ProcessManager({ name: 'checkout' })
class Checkout {
  static decide: Decide = () => ProcessErrorDecision.skip();
  static asked: Array<{ command: string; context: ProcessErrorContext; error: string }> = [];
  orderId = '';
  failures: string[] = [];

  @StartedBy(OrderSubmitted, (event) => event.orderId)
  submitted(event: OrderSubmitted, context: ProcessContext) {
    this.orderId = event.orderId;
    context.schedule(new ExpireOrder(event.orderId), { after: 3_600_000 }, 'expiry');
    return [new ChargeCard(event.orderId, event.amount), new NotifyClerk(event.orderId)];
  }

  @ContinuedBy(OrderShipped, (event) => event.orderId)
  shipped(_: OrderShipped, context: ProcessContext) {
    context.cancel('expiry');
    return new NotifyClerk(this.orderId);
  }

  @StoppedBy(OrderDelivered, (event) => event.orderId)
  delivered() {}

  onError(error: unknown, command: object, context: ProcessErrorContext) {
    this.failures.push(command.constructor.name);
    Checkout.asked.push({ command: command.constructor.name, context: { ...context }, error: (error as Error).message });
    return Checkout.decide(error, command, context);
  }
}

const refused = (command: object) => new Error(`${command.constructor.name} refused`);

describe('onError decisions on the commands of a step', () => {
  beforeEach(() => {
    Checkout.asked = [];
  });

  it("'retry' sends the same command again, with the same id, after the delay", async () => {
    const scenario = ProcessManagerScenario.for(Checkout).failCommands(ChargeCard, refused);
    Checkout.decide = (_, __, context) => {
      if (context.attempt === 2) scenario.failCommands(ChargeCard);
      return ProcessErrorDecision.retry(5);
    };
    await scenario.given(new OrderSubmitted('o1', 30));
    expect(scenario.commands()).toEqual([new ChargeCard('o1', 30), new ChargeCard('o1', 30), new ChargeCard('o1', 30), new NotifyClerk('o1')]);
    const ids = scenario.dispatched.map((d) => d.options.commandId);
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(ids[3]).not.toBe(ids[0]);
    expect(Checkout.asked.map((a) => a.context.attempt)).toEqual([1, 2]);
    expect(Checkout.asked[0]).toMatchObject({ command: 'ChargeCard', error: 'ChargeCard refused', context: { processId: 'o1' } });
    expect(Checkout.asked[0].context.event).toEqual(new OrderSubmitted('o1', 30));
    expect(await scenario.state('o1')).toMatchObject({ orderId: 'o1', failures: ['ChargeCard', 'ChargeCard'] });
  });

  it("'skip' gives up on the command and the ones after it; the instance goes on with its next event", async () => {
    Checkout.decide = () => ProcessErrorDecision.skip();
    const scenario = ProcessManagerScenario.for(Checkout).failCommands(ChargeCard, refused);
    await scenario.given(new OrderSubmitted('o2', 10));
    expect(scenario.commands()).toEqual([new ChargeCard('o2', 10)]);
    expect(await scenario.state('o2')).toMatchObject({ failures: ['ChargeCard'] });
    expect((await scenario.scheduled('o2')).map((s) => s.key)).toEqual(['expiry']);
    await scenario.given(new OrderShipped('o2'));
    expect(scenario.commands(1)).toEqual([new NotifyClerk('o2')]);
    expect(await scenario.scheduled('o2')).toEqual([]);
  });

  it("'continue' sends other commands instead (a compensation) under ids of their own, and goes on", async () => {
    Checkout.decide = (_, command) => ProcessErrorDecision.continueWith(new RefundOrder((command as ChargeCard).orderId));
    const scenario = ProcessManagerScenario.for(Checkout).failCommands(ChargeCard, refused);
    await scenario.given(new OrderSubmitted('o3', 10));
    expect(scenario.commands()).toEqual([new ChargeCard('o3', 10), new RefundOrder('o3')]);
    const [charge, refund] = scenario.dispatched;
    expect(refund.options.commandId).not.toBe(charge.options.commandId);
    expect(refund.options.causationId).toBe(charge.options.causationId);
    expect(await scenario.state('o3')).toMatchObject({ failures: ['ChargeCard'] });
  });

  it("'stop' ends the instance: its state and pending scheduled commands are deleted", async () => {
    Checkout.decide = () => ProcessErrorDecision.stop();
    const scenario = ProcessManagerScenario.for(Checkout).failCommands(NotifyClerk, refused);
    await scenario.given(new OrderSubmitted('o4', 10));
    expect(scenario.commands()).toEqual([new ChargeCard('o4', 10), new NotifyClerk('o4')]);
    expect(await scenario.state('o4')).toBeUndefined();
    expect(await scenario.scheduled()).toEqual([]);
    await scenario.given(new OrderShipped('o4'));
    expect(scenario.commands(2)).toEqual([]);
  });

  it('without onError the error is left to the subscription error policy: the step fails and nothing is saved', async () => {
    const scenario = ProcessManagerScenario.for(TransferProcess).failCommands(WithdrawMoney, refused);
    await expect(scenario.given(new TransferRequested('t1', 'a', 'b', 5))).rejects.toThrow('WithdrawMoney refused');
    expect(await scenario.state('t1')).toBeUndefined();
    scenario.failCommands(WithdrawMoney);
    await scenario.given(new TransferRequested('t2', 'a', 'b', 5));
    expect(await scenario.state('t2')).toMatchObject({ to: 'b', amount: 5 });
    expect(scenario.commands().filter((c) => c instanceof DepositMoney)).toEqual([]);
  });

  it('an onError that returns something else than a decision fails with a ConfigurationError naming the fix', async () => {
    Checkout.decide = () => ({ decision: 'retry', delay: -1 });
    const scenario = ProcessManagerScenario.for(Checkout).failCommands(ChargeCard, refused);
    const error = await scenario.given(new OrderSubmitted('o5', 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/Checkout\.onError returned .*ProcessErrorDecision\.retry\(ms >= 0\)/);
    expect(await scenario.state('o5')).toBeUndefined();
  });
});

describe('onError decisions on scheduled commands', () => {
  const expiring = async (decide: Decide) => {
    Checkout.decide = decide;
    const scenario = ProcessManagerScenario.for(Checkout, { now: new Date('2030-01-01T00:00:00Z') });
    await scenario.given(new OrderSubmitted('o1', 10));
    scenario.failCommands(ExpireOrder, refused);
    return scenario;
  };

  it("'retry' fires it again after the delay, under the same command id, told it was the scheduled key", async () => {
    const scenario = await expiring(() => ProcessErrorDecision.retry(60_000));
    await scenario.advanceTime(3_600_000);
    expect(scenario.commands(2)).toEqual([new ExpireOrder('o1')]);
    expect(Checkout.asked.at(-1)?.context).toEqual({ processId: 'o1', attempt: 1, scheduledKey: 'expiry' });
    expect((await scenario.scheduled('o1'))[0].dueAt).toEqual(new Date('2030-01-01T01:01:00Z'));
    scenario.failCommands(ExpireOrder);
    await scenario.advanceTime(59_999);
    expect(scenario.commands(2)).toHaveLength(1);
    await scenario.advanceTime(1);
    expect(scenario.commands(2)).toEqual([new ExpireOrder('o1'), new ExpireOrder('o1')]);
    const [first, second] = scenario.dispatched.slice(2);
    expect(second.options.commandId).toBe(first.options.commandId);
    expect(await scenario.scheduled()).toEqual([]);
  });

  it("'continue' sends the compensation and forgets the scheduled command; 'skip' just forgets it", async () => {
    const continued = await expiring(() => ProcessErrorDecision.continueWith(new RefundOrder('o1')));
    await continued.advanceTime(3_600_000);
    expect(continued.commands(2)).toEqual([new ExpireOrder('o1'), new RefundOrder('o1')]);
    expect(await continued.scheduled()).toEqual([]);
    expect(await continued.state('o1')).toBeDefined();

    const skipped = await expiring(() => ProcessErrorDecision.skip());
    await skipped.advanceTime(7_200_000);
    expect(skipped.commands(2)).toEqual([new ExpireOrder('o1')]);
    expect(await skipped.scheduled()).toEqual([]);
  });

  it("'stop' ends the instance", async () => {
    const scenario = await expiring(() => ProcessErrorDecision.stop());
    await scenario.advanceTime(3_600_000);
    expect(await scenario.state('o1')).toBeUndefined();
    expect(await scenario.scheduled()).toEqual([]);
  });
});

@DomainEvent('DcReminderWanted')
class ReminderWanted {
  constructor(
    readonly id: string,
    readonly variant: string,
  ) {}
}

@DomainEvent('DcRemindersWanted')
class RemindersWanted {
  constructor(readonly ids: string[]) {}
}

class Remind {
  constructor(readonly id: string) {}
}

/** Schedules what its event asks for, including what cannot work; has no onError. */
@ProcessManager({ name: 'reminder' })
class Reminder {
  id = '';

  @StartedBy(ReminderWanted, (event) => event.id)
  wanted(event: ReminderWanted, context: ProcessContext) {
    this.id = event.id;
    const command = new Remind(event.id);
    const when: Record<string, unknown> = {
      ok: { after: 1000 },
      past: { at: new Date('2000-01-01T00:00:00Z') },
      'no key': { after: 1000 },
      'negative after': { after: -1 },
      'NaN after': { after: Number.NaN },
      'invalid at': { at: new Date('not a date') },
      'at as text': { at: '2030-01-01' },
      both: { at: new Date(), after: 5 },
      neither: {},
    };
    const key = event.variant === 'no key' ? '' : 'remind';
    context.schedule(event.variant === 'plain object' ? { id: event.id } : command, (when[event.variant] ?? { after: 1000 }) as never, key);
    return new Remind(`${event.id}-now`);
  }

  @StartedBy(RemindersWanted, (event) => event.ids)
  wantedMany(_: RemindersWanted, context: ProcessContext) {
    this.id = context.processId;
    return new Remind(context.processId);
  }
}

describe('scheduling input and routing', () => {
  it.each(['no key', 'negative after', 'NaN after', 'invalid at', 'at as text', 'both', 'neither', 'plain object'])(
    'refuses %s with InvalidScheduleError; nothing is dispatched or saved',
    async (variant) => {
      const scenario = ProcessManagerScenario.for(Reminder);
      const error = await scenario.given(new ReminderWanted('r1', variant)).catch((e: unknown) => e);
      expect(isInvalidSchedule(error)).toBe(true);
      expect((error as Error).message).toMatch(/^Process manager 'reminder' cannot schedule: /);
      expect(scenario.dispatched).toEqual([]);
      expect(await scenario.state('r1')).toBeUndefined();
      expect(await scenario.scheduled()).toEqual([]);
    },
  );

  it('fires a command scheduled at a moment already past at once', async () => {
    const scenario = ProcessManagerScenario.for(Reminder);
    await scenario.given(new ReminderWanted('r1', 'past'));
    await scenario.advanceTime(0);
    expect(scenario.commands()).toEqual([new Remind('r1-now'), new Remind('r1')]);
  });

  it('without onError retries a failing scheduled command with backoff, then drops it after maxAttempts', async () => {
    const scenario = ProcessManagerScenario.for(Reminder, { maxAttempts: 3, retryDelay: 100 });
    await scenario.given(new ReminderWanted('r1', 'ok'));
    scenario.failCommands(Remind, refused);
    await scenario.advanceTime(1000);
    expect(scenario.commands(1)).toHaveLength(1);
    await scenario.advanceTime(100);
    expect(scenario.commands(1)).toHaveLength(2);
    await scenario.advanceTime(199);
    expect(scenario.commands(1)).toHaveLength(2);
    await scenario.advanceTime(1);
    expect(scenario.commands(1)).toHaveLength(3);
    expect(await scenario.scheduled()).toEqual([]);
    await scenario.advanceTime(3_600_000);
    expect(scenario.commands(1)).toHaveLength(3);
  });

  it('runs a step once per process id the event routes to, each instance with its own state and command ids', async () => {
    const scenario = ProcessManagerScenario.for(Reminder);
    await scenario.given(new RemindersWanted(['a', 'b', 'a', '']));
    expect(scenario.commands()).toEqual([new Remind('a'), new Remind('b')]);
    expect(new Set(scenario.dispatched.map((d) => d.options.commandId)).size).toBe(2);
    expect(await scenario.state('a')).toEqual({ id: 'a' });
    expect(await scenario.state('b')).toEqual({ id: 'b' });
  });
});
