import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CommandEnvelope } from './command-envelope.js';
import type { ExecutionResult } from './execution-result.js';
import type { AggregateDefinition } from './aggregate-definition.js';
import { AggregateExecutor } from './aggregate-executor.js';
import { AggregateInstance, instanceClock } from './aggregate-instance.js';
import { AggregateLoader } from './aggregate-loader.js';
import { AGGREGATE_SETTINGS, type LiveAggregatesSettings } from './live-aggregates.options.js';
import { Telemetry } from '../telemetry/telemetry.interface.js';

/**
 * Keeps the live aggregate instances of this process: at most one per stream, loaded on first
 * use, evicted when idle too long or when there are too many (least recently used first). One
 * interval per manager sweeps idle instances, running only while some are live.
 */
@Injectable()
export class AggregateManager {
  private readonly logger = new Logger('AggregateManager');
  /** Insertion order is recency order: a used instance is moved to the end. */
  private readonly instances = new Map<string, AggregateInstance>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly loader: AggregateLoader,
    private readonly executor: AggregateExecutor,
    @Inject(AGGREGATE_SETTINGS) private readonly lifespan: LiveAggregatesSettings,
    @Inject(Telemetry) private readonly telemetry: Telemetry,
  ) {}

  get size(): number {
    return this.instances.size;
  }

  /**
   * Runs a command on its instance, after the commands queued before it. `admit`, when given, is
   * called as the command's turn comes and again before a retry after a conflict, and may throw to
   * refuse it (a cluster node that lost touch, or no longer owns the aggregate).
   */
  async execute(definition: AggregateDefinition, envelope: CommandEnvelope, admit?: () => void): Promise<ExecutionResult> {
    const instance = this.instance(definition, envelope.streamId);
    const queued = instance.acquire();
    // An idempotent command's lookup overlaps its wait or its instance's load instead of adding a
    // round trip after them. Looked up while the instance is loaded, it still holds if the version
    // has not moved by the turn (this process records a command only with an append); looked up
    // in its own turn, before the load, it holds as is. A record made elsewhere in between meets
    // the append's version check or command key, as any concurrent writer does.
    const seen = instance.loaded ? instance.version : -1;
    const lookup = envelope.idempotent && (queued ? seen >= 0 : seen < 0) ? this.executor.lookAhead(envelope) : undefined;
    try {
      if (queued) await queued;
      admit?.();
      if (!instance.loaded) await this.telemetry.load(definition.metadata.type, envelope.streamId, () => this.load(instance));
      const valid = lookup && (!queued || (instance.version === seen && !instance.stale));
      return await this.telemetry.execute(envelope, () => this.executor.execute(instance, envelope, admit, valid ? lookup : undefined));
    } finally {
      instance.release();
    }
  }

  /** Marks a cached instance stale when the stream moved past it elsewhere. */
  invalidate(streamId: string, version: number): void {
    const instance = this.instances.get(streamId);
    if (instance && instance.version < version) instance.stale = true;
  }

  /**
   * Forgets the instances whose stream matches, each once the commands queued on it have finished
   * (cluster handoff: another node owns them now and the next owner must load from the store).
   */
  release(matches: (streamId: string) => boolean): void {
    for (const [streamId, instance] of this.instances) {
      if (!matches(streamId)) continue;
      instance.stale = true;
      void instance.drained().then(() => {
        if (this.instances.get(streamId) === instance && !instance.busy) this.instances.delete(streamId);
      });
    }
  }

  /**
   * Forgets the instances whose state names `subjectId` as the person of its declared personal
   * fields: after a forget their state must not answer from memory what the store no longer gives.
   */
  releaseSubject(subjectId: string): void {
    this.release((streamId) => {
      const { definition, state } = this.instances.get(streamId)!;
      const personal = definition.metadata.personal;
      return personal !== undefined && (state as Record<string, unknown>)[personal.subject] === subjectId;
    });
  }

  /** Live instance of a stream, if any (for tests and diagnostics). */
  peek(streamId: string): AggregateInstance | undefined {
    return this.instances.get(streamId);
  }

  /** Lets the commands already queued finish (they may still need the store), then forgets every instance. */
  async close(): Promise<void> {
    this.stopSweeping();
    await Promise.all([...this.instances.values()].map((instance) => instance.drained()));
    this.instances.clear();
  }

  /** A failed load must not stick: the instance starts over with the next command. */
  private async load(instance: AggregateInstance): Promise<void> {
    try {
      await this.loader.load(instance);
      instance.loaded = true;
    } catch (error) {
      instance.reset();
      throw error;
    }
  }

  private instance(definition: AggregateDefinition, streamId: string): AggregateInstance {
    let instance = this.instances.get(streamId);
    if (instance) {
      this.instances.delete(streamId);
      this.instances.set(streamId, instance);
      return instance;
    }
    instance = new AggregateInstance(definition, streamId);
    this.instances.set(streamId, instance);
    this.evictOverflow();
    this.sweeper ??= this.startSweeping();
    return instance;
  }

  private evictOverflow(): void {
    if (this.instances.size <= this.lifespan.maxInstances) return;
    for (const [streamId, instance] of this.instances) {
      if (this.instances.size <= this.lifespan.maxInstances) return;
      if (!instance.busy) this.instances.delete(streamId);
    }
  }

  private startSweeping(): NodeJS.Timeout {
    const sweeper = setInterval(() => this.evictIdle(), Math.max(100, Math.min(this.lifespan.idleTimeout / 2, 30_000)));
    sweeper.unref();
    return sweeper;
  }

  private stopSweeping(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private evictIdle(): void {
    const cutoff = instanceClock() - this.lifespan.idleTimeout;
    for (const [streamId, instance] of this.instances) {
      if (!instance.busy && instance.lastUsed < cutoff) {
        this.instances.delete(streamId);
        this.logger.verbose(`Evicted idle aggregate ${streamId}`);
      }
    }
    if (!this.instances.size) this.stopSweeping();
  }
}
