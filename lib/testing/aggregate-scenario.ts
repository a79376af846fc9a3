import { deepStrictEqual, fail, ok } from 'node:assert/strict';
import type { Type } from '@nestjs/common';
import { type AggregateDefinition, aggregateDefinitionOf, assertApplied } from '../aggregates/aggregate-definition.js';
import { AggregateInstance } from '../aggregates/aggregate-instance.js';
import { ConfigurationError } from '../errors/configuration.error.js';
import { domainEventOf, EventSerializer } from '../events/event-serializer.js';
import type { RecordedEvent } from '../event-store/recorded-event.js';

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error));

/** What a command did to an aggregate in a scenario; the `then*` methods assert on it. */
export class ScenarioOutcome<T extends object> {
  constructor(
    /** Events the command produced, as read back from storage form. */
    readonly events: object[],
    /** State after the events were applied. */
    readonly state: T,
    /** What the command threw, if anything. */
    readonly error: unknown,
    private readonly roundTrip: (event: object) => object,
  ) {}

  /** Asserts the command succeeded with exactly these events (compared in their stored form). */
  thenEvents(...expected: object[]): this {
    if (this.error) fail(`Expected events but the command threw: ${describe(this.error)}`);
    deepStrictEqual(this.events, expected.map(this.roundTrip));
    return this;
  }

  /** Asserts the command threw an instance of `type` (and, when given, with this code). */
  thenError(type: Type<Error> | (abstract new (...args: never[]) => Error), code?: string): this {
    ok(this.error instanceof type, `Expected ${type.name} but got ${this.error ? describe(this.error) : 'no error'}`);
    if (code) deepStrictEqual((this.error as { code?: string }).code, code);
    return this;
  }

  /** Runs `check` on the state after the command. */
  thenState(check: (state: T) => void): this {
    check(this.state);
    return this;
  }
}

/**
 * Given/when/then for one aggregate class, without a store: events are applied through the
 * same storage round trip as in production, so what passes here behaves the same there.
 */
export class AggregateScenario<T extends object> {
  private readonly definition: AggregateDefinition;
  private readonly serializer = new EventSerializer();
  private history: object[] = [];

  private constructor(type: Type<T>) {
    this.definition = aggregateDefinitionOf(type);
  }

  static for<T extends object>(type: Type<T>): AggregateScenario<T> {
    return new AggregateScenario(type);
  }

  given(...events: object[]): this {
    this.history = events;
    return this;
  }

  /**
   * Runs `command` on the state of the given events. As in production, an event without its
   * `@Apply` is refused, and a command that fails leaves the state of the given events only.
   */
  async when(command: object): Promise<ScenarioOutcome<T>> {
    if (!this.definition.commands.has(command.constructor as Type)) {
      throw new ConfigurationError(`${this.definition.type.name} has no @Execute(${command.constructor.name})`);
    }
    const instance = this.givenInstance();
    try {
      const produced = await instance.execute(command);
      for (const event of produced) assertApplied(this.definition, event);
      const events = this.applyAll(instance, produced);
      return new ScenarioOutcome(events, instance.state as T, undefined, this.roundTrip);
    } catch (error) {
      return new ScenarioOutcome<T>([], this.givenInstance().state as T, error, this.roundTrip);
    }
  }

  private givenInstance(): AggregateInstance {
    const instance = new AggregateInstance(this.definition, 'scenario');
    this.applyAll(instance, this.history);
    return instance;
  }

  /** The event as it comes back from storage. */
  private readonly roundTrip = (event: object): object => {
    // No boot here to register the classes: a scenario writes whatever the aggregate emits.
    const type = (event as object | null)?.constructor as Type | undefined;
    if (type && domainEventOf(type)) this.serializer.register(type);
    const stored = this.serializer.serialize(event, { eventId: 'scenario' });
    return this.serializer.deserialize({ ...stored, metadata: stored.metadata ?? {} } as RecordedEvent);
  };

  private applyAll(instance: AggregateInstance, events: object[]): object[] {
    return events.map((event) => {
      const revived = this.roundTrip(event);
      instance.apply(this.serializer.typeNameOf(revived), revived, instance.version + 1);
      return revived;
    });
  }
}
