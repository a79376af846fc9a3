import type { Type } from '@nestjs/common';
import { ConfigurationError } from '../errors/configuration.error.js';
import { EventSerializer } from '../events/event-serializer.js';
import { TaggedStateCodec } from '../events/tagged-state-codec.js';
import { InMemoryEventStore } from '../event-store/memory/in-memory-event-store.js';
import type { CommandDispatcher, CommandDispatchOptions } from '../process-managers/command-dispatcher.interface.js';
import { processStateStreamId, ProcessManagerDelivery } from '../process-managers/process-manager-delivery.js';
import type { ScheduledCommandFirer } from '../process-managers/scheduled-command-firer.js';
import { ProcessStateFormat } from '../process-managers/process-state-format.js';
import { ScheduledCommandTypes } from '../process-managers/scheduled-command-types.js';
import { ProcessManagerBuilder } from '../process-managers/process-manager-builder.js';
import { subscriptionDefinitionOf } from '../subscriptions/subscription-definition.factory.js';
import { MutedLogger } from '../util/muted-logger.js';
import { type GivenEnvelope, recordGiven } from './scenario-history.js';

/** A command the process manager sent in a scenario. */
export interface DispatchedCommand {
  command: object;
  options: CommandDispatchOptions;
}

/** A pending scheduled command, revived. */
export interface PendingCommand {
  processId: string;
  key: string;
  command: object;
  dueAt: Date;
}

/** Options of {@link ProcessManagerScenario.for}. */
export interface ProcessManagerScenarioOptions {
  /** Start of the scenario's clock. @default 2030-01-01T00:00:00Z */
  now?: Date;
  /** Attempts of a failing scheduled command when the process manager has no `onError`. @default 5 */
  maxAttempts?: number;
  /** First retry delay of such a command, in ms. @default 100 */
  retryDelay?: number;
  /** The process manager's constructor arguments, in order (what Nest would inject: services, config). @default [] */
  dependencies?: unknown[];
  /** Value-object classes held in the state, as the module's `stateClasses`. @default [] */
  stateClasses?: Type[];
}

/** Bounds `advanceTime` when commands keep failing and being retried at once. */
const MAX_FIRING_ROUNDS = 10_000;

type CommandClass = Type | (abstract new (...args: never[]) => object);

/**
 * Given events, then commands, state and scheduled commands of a `@ProcessManager` class: its
 * steps run through the same delivery as production, on a memory store, with a dispatcher that
 * records commands (and fails those you ask it to) and a clock you move with `advanceTime`.
 *
 * @example
 * const scenario = ProcessManagerScenario.for(TransferMoney);
 * await scenario.given(new TransferRequested('t1', 'a', 'b', 10));
 * expect(scenario.commands()).toEqual([new WithdrawMoney('a', 10, 't1')]);
 * await scenario.advanceTime(10 * 60_000); // scheduled commands due by then are sent
 */
export class ProcessManagerScenario {
  /** Every command sent so far, in order, with the options it was sent with. */
  readonly dispatched: DispatchedCommand[] = [];
  private readonly store = new InMemoryEventStore();
  private readonly serializer: EventSerializer;
  private readonly delivery: ProcessManagerDelivery;
  private readonly firer: ScheduledCommandFirer;
  private readonly types = new ScheduledCommandTypes();
  private readonly failures = new Map<CommandClass, (command: object) => unknown>();
  private readonly name: string;
  private readonly stateFormat: ProcessStateFormat;
  private clock: Date;

  private constructor(type: Type, options: ProcessManagerScenarioOptions) {
    const definition = subscriptionDefinitionOf(type);
    if (!definition.processManager) throw new ConfigurationError(`${type.name} is not a @ProcessManager`);
    this.name = definition.metadata.name;
    this.clock = new Date(options.now ?? '2030-01-01T00:00:00Z');
    this.serializer = new EventSerializer(definition.eventClasses);
    const dispatcher: CommandDispatcher = { dispatch: (command, dispatchOptions) => this.dispatch(command, dispatchOptions) };
    const now = () => new Date(this.clock);
    const stateCodec = new TaggedStateCodec(options.stateClasses);
    this.stateFormat = new ProcessStateFormat(type, stateCodec);
    this.delivery = new ProcessManagerDelivery(this.name, definition.processManager, this.store, this.serializer, dispatcher, {
      commandTypes: this.types,
      now,
      builder: new ProcessManagerBuilder(type, options.dependencies),
      // A retry's delay passes on the scenario's clock: the test never waits for it.
      wait: async (ms) => void (this.clock = new Date(this.clock.getTime() + ms)),
      stateCodec,
    });
    const settings = { maxAttempts: options.maxAttempts ?? 5, retryDelay: options.retryDelay ?? 100, logger: new MutedLogger() };
    this.firer = this.delivery.scheduledCommandFirer(settings)!;
  }

  static for(type: Type, options: ProcessManagerScenarioOptions = {}): ProcessManagerScenario {
    return new ProcessManagerScenario(type, options);
  }

  /** The scenario's clock now. */
  get now(): Date {
    return new Date(this.clock);
  }

  /** Runs the steps for `events` in order (each stored first). A step's error is thrown to the test. */
  async given(...events: object[]): Promise<this> {
    return this.givenIn({}, ...events);
  }

  /** {@link given} with the stream, correlation id or metadata the events are recorded with. */
  async givenIn(envelope: GivenEnvelope, ...events: object[]): Promise<this> {
    for (const recorded of await recordGiven(this.store, this.serializer, events, envelope)) await this.delivery.deliver(recorded);
    return this;
  }

  /**
   * Moves the clock forward by `ms`, firing each scheduled command as its due time is reached,
   * in due order (a command a fire schedules or retries within the span fires too).
   */
  async advanceTime(ms: number): Promise<this> {
    if (!Number.isFinite(ms) || ms < 0) throw new ConfigurationError(`advanceTime takes a number of ms >= 0, got ${ms}`);
    const until = this.clock.getTime() + ms;
    let rounds = 0;
    for (let next = await this.nextDue(); next !== undefined && next <= until; next = await this.nextDue()) {
      if (++rounds > MAX_FIRING_ROUNDS)
        throw new ConfigurationError(`Scheduled commands of '${this.name}' keep falling due (an onError retrying with no delay?)`);
      this.clock = new Date(Math.max(this.clock.getTime(), next));
      await this.firer.fireDue(Number.MAX_SAFE_INTEGER);
    }
    this.clock = new Date(until);
    return this;
  }

  /**
   * Makes the dispatcher throw what `error(command)` returns for the commands of class `type` from
   * now on; a command for which it returns `undefined` is sent as usual. Without `error`, commands
   * of `type` succeed again.
   */
  failCommands<C extends object>(type: CommandClass & (abstract new (...args: never[]) => C), error?: (command: C) => unknown): this {
    if (error) this.failures.set(type, error as (command: object) => unknown);
    else this.failures.delete(type);
    return this;
  }

  /** The commands sent so far (without options); `since` skips that many first. */
  commands(since = 0): object[] {
    return this.dispatched.slice(since).map((entry) => entry.command);
  }

  /** The saved state of instance `processId`, its fields revived as a load revives them, or undefined when none runs. */
  async state(processId: string): Promise<Record<string, unknown> | undefined> {
    const saved = await this.store.readSnapshot(processStateStreamId(this.name, processId));
    return saved && this.stateFormat.decode(saved, this.store.subjectKeys);
  }

  /** Pending scheduled commands (of one instance when `processId` is given), earliest first. */
  async scheduled(processId?: string): Promise<PendingCommand[]> {
    const pending = await this.store.scheduledCommands.listScheduled(this.name, processId);
    return pending.map((entry) => ({ processId: entry.processId, key: entry.key, command: this.types.revive(entry), dueAt: entry.dueAt }));
  }

  private async nextDue(): Promise<number | undefined> {
    return (await this.store.scheduledCommands.nextDueAt(this.name))?.getTime();
  }

  private async dispatch(command: object, options: CommandDispatchOptions): Promise<unknown> {
    this.dispatched.push({ command, options });
    const failure = [...this.failures].find(([type]) => command instanceof type);
    const error: unknown = failure?.[1](command);
    if (error === undefined) return undefined;
    // Whatever the test's function returned is thrown as it is, Error or not.
    throw error as unknown;
  }
}
