import type { Type } from '@nestjs/common';
import { ConfigurationError } from '../errors/configuration.error.js';
import { asList } from '../util/as-list.js';
import type { AggregateDefinition } from './aggregate-definition.js';

/** An aggregate class's instance, seen by method and field name. */
type AggregateState = Record<string | symbol, unknown>;

const call = (state: AggregateState, method: string | symbol, argument: object): unknown =>
  (state[method] as (argument: object) => unknown).call(state, argument);

/**
 * One live aggregate: its state object, the stream version that state includes, and a mailbox
 * that runs its commands strictly one at a time.
 */
export class AggregateInstance {
  state: AggregateState;
  version = 0;
  /** Set when another node wrote to the stream; the next command catches up first. */
  stale = false;
  lastUsed = Date.now();
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(
    readonly definition: AggregateDefinition,
    readonly streamId: string,
    readonly aggregateId: string,
  ) {
    this.state = new definition.type() as AggregateState;
  }

  get busy(): boolean {
    return this.pending > 0;
  }

  /** Runs the command's `@Execute` method on the state; the events it produced, as a list. */
  async execute(command: object): Promise<object[]> {
    const method = this.definition.commands.get(command.constructor as Type);
    if (!method) throw new ConfigurationError(`${this.definition.type.name} has no @Execute(${command.constructor.name})`);
    return asList(await call(this.state, method, command));
  }

  /** Folds one event into state; events without an `@Apply` method only move the version. */
  apply(eventType: string, event: object, version: number): void {
    const method = this.definition.appliers.get(eventType);
    if (method) call(this.state, method, event);
    this.version = version;
  }

  /** Replaces state with a snapshot's data. */
  restore(data: object, version: number): void {
    this.state = Object.assign(new this.definition.type() as AggregateState, data);
    this.version = version;
  }

  /** A detached copy of the state, as stored in a snapshot (own enumerable fields, JSON types). */
  snapshotData(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.state)) as Record<string, unknown>;
  }

  /** A detached copy of the state as an instance of the aggregate class. */
  snapshotState(): object {
    return Object.assign(new this.definition.type() as object, this.snapshotData());
  }

  /** Resolves once every task queued so far has finished. */
  drained(): Promise<unknown> {
    return this.queue;
  }

  /** Runs `task` after every task queued before it. */
  enqueue<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    this.lastUsed = Date.now();
    const run = this.queue.then(task).finally(() => {
      this.pending--;
      this.lastUsed = Date.now();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
