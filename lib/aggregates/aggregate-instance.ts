import type { Type } from '@nestjs/common';
import { ConfigurationError } from '../errors/configuration.error.js';
import type { StateCodec } from '../events/state-codec.js';
import { asList } from '../util/as-list.js';
import type { AggregateDefinition } from './aggregate-definition.js';

/** An aggregate class's instance, seen by method and field name. */
type AggregateState = Record<string | symbol, unknown>;

const call = (state: AggregateState, method: string | symbol, argument: object): unknown =>
  (state[method] as (argument: object) => unknown).call(state, argument);

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | null)?.then === 'function';

// Flags share one small integer field: a live instance is kept per stream, so every word counts.
const BUSY = 1;
const STALE = 2;
const LOADED = 4;
const DELETED = 8;

/** Origin of {@link AggregateInstance.lastUsed}: times counted from it stay small integers, which V8 stores inline. */
const CLOCK_ORIGIN = Date.now();

/** Milliseconds on the clock {@link AggregateInstance.lastUsed} is read on. */
export const instanceClock = (): number => Date.now() - CLOCK_ORIGIN;

/**
 * One live aggregate: its state object, the stream version that state includes, and a turn that
 * lets its commands run strictly one at a time. Many thousands may be live, so an idle instance
 * holds nothing but its fields: the queue of waiting commands exists only while there are some.
 */
export class AggregateInstance {
  state: AggregateState;
  version = 0;
  /** When the instance last finished a turn, on {@link instanceClock}. */
  lastUsed = instanceClock();
  private flags = 0;
  /** Commands waiting for their turn, oldest first; absent while none wait. */
  private waiting?: Array<() => void>;

  constructor(
    readonly definition: AggregateDefinition,
    readonly streamId: string,
  ) {
    this.state = new definition.type() as AggregateState;
  }

  /** True while a command runs or waits. */
  get busy(): boolean {
    return (this.flags & BUSY) !== 0;
  }

  /** Set when another node wrote to the stream; the next command catches up first. */
  get stale(): boolean {
    return (this.flags & STALE) !== 0;
  }

  set stale(value: boolean) {
    this.flags = value ? this.flags | STALE : this.flags & ~STALE;
  }

  /** True once the state was rebuilt from the store. */
  get loaded(): boolean {
    return (this.flags & LOADED) !== 0;
  }

  set loaded(value: boolean) {
    this.flags = value ? this.flags | LOADED : this.flags & ~LOADED;
  }

  /** True when the stream's last event is the `StreamDeleted` tombstone (state fresh, version the tombstone's). */
  get deleted(): boolean {
    return (this.flags & DELETED) !== 0;
  }

  /** Meets the tombstone: everything before it no longer counts, and the version stays taken. */
  markDeleted(version: number): void {
    this.state = new this.definition.type() as AggregateState;
    this.version = version;
    this.flags |= DELETED;
  }

  /** Runs the command's `@Execute` method on the state; the events it produced, as a list (a promise of it when the method is async). */
  execute(command: object): object[] | Promise<object[]> {
    const method = this.definition.commands.get(command.constructor as Type);
    if (!method) throw new ConfigurationError(`${this.definition.type.name} has no @Execute(${command.constructor.name})`);
    const produced = call(this.state, method, command);
    return isThenable(produced) ? Promise.resolve(produced).then(asList) : asList(produced);
  }

  /** Folds one event into state; events without an `@Apply` method only move the version. */
  apply(eventType: string, event: object, version: number): void {
    const method = this.definition.appliers.get(eventType);
    if (method) call(this.state, method, event);
    this.version = version;
    this.flags &= ~DELETED;
  }

  /** Replaces state with a snapshot's fields, as its codec revived them. */
  restore(fields: object, version: number): void {
    this.state = Object.assign(new this.definition.type() as AggregateState, fields);
    this.version = version;
  }

  /** Back to a fresh state at version 0, to be loaded again (after a load that failed part way). */
  reset(): void {
    this.state = new this.definition.type() as AggregateState;
    this.version = 0;
    this.flags &= BUSY;
  }

  /** A detached copy of the state as an instance of the aggregate class, exactly as a snapshot would restore it. */
  stateCopy(codec: StateCodec): object {
    return Object.assign(new this.definition.type() as object, codec.decode(codec.encode(this.state)));
  }

  /**
   * Takes the instance's turn: undefined when it was free (the caller runs at once, nothing
   * allocated), else a promise resolved when every earlier turn has been released. Every turn
   * taken must be released with {@link release}.
   */
  acquire(): Promise<void> | undefined {
    if (!(this.flags & BUSY)) {
      this.flags |= BUSY;
      return undefined;
    }
    return new Promise((resolve) => (this.waiting ??= []).push(resolve));
  }

  /** Ends a turn: hands it to the oldest waiting command, or marks the instance free. */
  release(): void {
    this.lastUsed = instanceClock();
    const next = this.waiting?.shift();
    if (!next) {
      this.flags &= ~BUSY;
      return;
    }
    if (!this.waiting!.length) this.waiting = undefined;
    next();
  }

  /** Resolves once every turn taken so far has been released. */
  async drained(): Promise<void> {
    await this.acquire();
    this.release();
  }
}
