import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CommandEnvelope } from './command-envelope.js';
import type { ExecutionResult } from './execution-result.js';
import type { AggregateDefinition } from './aggregate-definition.js';
import { AggregateExecutor } from './aggregate-executor.js';
import { AggregateInstance } from './aggregate-instance.js';
import { AggregateLoader } from './aggregate-loader.js';
import { AGGREGATE_SETTINGS, type LiveAggregatesSettings } from './live-aggregates.options.js';
import { Telemetry } from '../telemetry/telemetry.interface.js';

/**
 * Keeps the live aggregate instances of this process: at most one per stream, loaded on first
 * use, evicted when idle too long or when there are too many (least recently used first).
 */
@Injectable()
export class AggregateManager {
  private readonly logger = new Logger('AggregateManager');
  /** Insertion order is recency order: a used instance is moved to the end. */
  private readonly instances = new Map<string, { instance: AggregateInstance; loaded: Promise<void> }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly loader: AggregateLoader,
    private readonly executor: AggregateExecutor,
    @Inject(AGGREGATE_SETTINGS) private readonly lifespan: LiveAggregatesSettings,
    @Inject(Telemetry) private readonly telemetry: Telemetry,
  ) {
    this.sweeper = setInterval(() => this.evictIdle(), Math.max(100, Math.min(lifespan.idleTimeout / 2, 30_000)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.instances.size;
  }

  /**
   * Runs a command on its instance, after the commands queued before it. `admit`, when given, is
   * called as the command's turn comes and again before a retry after a conflict, and may throw to
   * refuse it (a cluster node that lost touch, or no longer owns the aggregate).
   */
  execute(definition: AggregateDefinition, envelope: CommandEnvelope, admit?: () => void): Promise<ExecutionResult> {
    const entry = this.entry(definition, envelope);
    return entry.instance.enqueue(async () => {
      admit?.();
      await entry.loaded;
      return this.telemetry.execute(envelope, () => this.executor.execute(entry.instance, envelope, admit));
    });
  }

  /** Marks a cached instance stale when the stream moved past it elsewhere. */
  invalidate(streamId: string, version: number): void {
    const entry = this.instances.get(streamId);
    if (entry && entry.instance.version < version) entry.instance.stale = true;
  }

  /**
   * Forgets the instances whose stream matches, each once the commands queued on it have finished
   * (cluster handoff: another node owns them now and the next owner must load from the store).
   */
  release(matches: (streamId: string) => boolean): void {
    for (const [streamId, entry] of this.instances) {
      if (!matches(streamId)) continue;
      entry.instance.stale = true;
      void entry.instance.drained().then(() => {
        if (this.instances.get(streamId) === entry && !entry.instance.busy) this.instances.delete(streamId);
      });
    }
  }

  /** Live instance of a stream, if any (for tests and diagnostics). */
  peek(streamId: string): AggregateInstance | undefined {
    return this.instances.get(streamId)?.instance;
  }

  /** Lets the commands already queued finish (they may still need the store), then forgets every instance. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.instances.values()].map(({ instance }) => instance.drained()));
    this.instances.clear();
  }

  private entry(definition: AggregateDefinition, envelope: CommandEnvelope) {
    let entry = this.instances.get(envelope.streamId);
    if (entry) {
      this.instances.delete(envelope.streamId);
    } else {
      const instance = new AggregateInstance(definition, envelope.streamId, envelope.aggregateId);
      entry = { instance, loaded: this.telemetry.load(definition.metadata.type, envelope.streamId, () => this.loader.load(instance)) };
      // A failed load must not stick: the next command starts over.
      entry.loaded.catch(() => this.instances.get(envelope.streamId)?.instance === instance && this.instances.delete(envelope.streamId));
    }
    this.instances.set(envelope.streamId, entry);
    this.evictOverflow();
    return entry;
  }

  private evictOverflow(): void {
    if (this.instances.size <= this.lifespan.maxInstances) return;
    for (const [streamId, { instance }] of this.instances) {
      if (this.instances.size <= this.lifespan.maxInstances) return;
      if (!instance.busy) this.instances.delete(streamId);
    }
  }

  private evictIdle(): void {
    const cutoff = Date.now() - this.lifespan.idleTimeout;
    for (const [streamId, { instance }] of this.instances) {
      if (!instance.busy && instance.lastUsed < cutoff) {
        this.instances.delete(streamId);
        this.logger.verbose(`Evicted idle aggregate ${streamId}`);
      }
    }
  }
}
