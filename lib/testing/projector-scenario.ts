import { EventSerializer } from '../events/event-serializer.js';
import { InMemoryEventStore } from '../event-store/memory/in-memory-event-store.js';
import type { SqlExecutor } from '../event-store/sql-executor.interface.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';
import { HandlerDelivery } from '../subscriptions/event-delivery.js';
import { subscriptionDefinitionOf } from '../subscriptions/subscription-definition.factory.js';
import { type GivenEnvelope, recordGiven } from './scenario-history.js';

/** Options of {@link ProjectorScenario.for}. */
export interface ProjectorScenarioOptions {
  /**
   * Handed to the `@On` methods as `context.sql`, as the transaction of a transactional projector
   * would be (a client of your test database, or a transaction you roll back afterwards).
   * @default none, as on the memory store
   */
  sql?: SqlExecutor;
}

/**
 * Given events, then your read model: feeds events to a projector's (or event handler's) `@On`
 * methods through the same delivery as production, with full contexts, without an application
 * or a running subscription. Assert on the read model afterwards.
 *
 * @example
 * const projector = new BalancesProjector();
 * await ProjectorScenario.for(projector).given(new AccountOpened('a', 10), new MoneyDeposited('a', 5));
 * expect(projector.balanceOf('a')).toBe(15);
 */
export class ProjectorScenario {
  private readonly store = new InMemoryEventStore();
  private readonly serializer: EventSerializer;
  private readonly delivery: HandlerDelivery;

  private constructor(
    projector: object,
    private readonly options: ProjectorScenarioOptions,
  ) {
    const definition = subscriptionDefinitionOf(projector);
    this.serializer = new EventSerializer(definition.eventClasses);
    this.delivery = new HandlerDelivery(definition, this.serializer);
  }

  /** A scenario for a `@Projector` or `@EventHandler` provider instance. */
  static for(projector: object, options: ProjectorScenarioOptions = {}): ProjectorScenario {
    return new ProjectorScenario(projector, options);
  }

  /** Delivers `events` in order (each stored first); events the projector has no `@On` for are passed over. */
  async given(...events: object[]): Promise<this> {
    return this.givenIn({}, ...events);
  }

  /** {@link given} with the stream, correlation id or metadata the events are recorded with. */
  async givenIn(envelope: GivenEnvelope, ...events: object[]): Promise<this> {
    await this.deliver(await recordGiven(this.store, this.serializer, events, envelope));
    return this;
  }

  /**
   * Delivers `events` as a reset delivers again what the subscription had handled before:
   * `context.replaying` is true, and `@SkipReplay` handlers pass over them. Events given afterwards
   * are new ones again.
   */
  async givenReplayed(...events: object[]): Promise<this> {
    const recorded = await recordGiven(this.store, this.serializer, events, {});
    if (recorded.length) this.delivery.replayWindow({ after: recorded[0].globalPosition - 1, upTo: recorded[recorded.length - 1].globalPosition });
    await this.deliver(recorded);
    return this;
  }

  private async deliver(events: RecordedEvent[]): Promise<void> {
    for (const recorded of events) {
      if (this.delivery.handles(recorded.eventType)) await this.delivery.deliver(recorded, this.options.sql);
    }
  }

  /** Runs `check`, your assertions on the read model (named so the scenario is never mistaken for a promise). */
  async thenReadModel(check: () => unknown): Promise<this> {
    await check();
    return this;
  }
}
