import type { AggregateManager } from '../../aggregates/aggregate-manager.js';
import type { CommandEnvelope } from '../../aggregates/command-envelope.js';
import type { CommandRouter } from '../../aggregates/command-router.js';
import type { ExecutionResult } from '../../aggregates/execution-result.js';
import type { Registry } from '../registry.interface.js';

/** Every aggregate may live in this process; optimistic concurrency keeps nodes honest. */
export class LocalRegistry implements Registry {
  constructor(
    private readonly router: CommandRouter,
    private readonly aggregates: AggregateManager,
  ) {}

  async init(): Promise<void> {}

  async close(): Promise<void> {
    await this.aggregates.close();
  }

  execute(envelope: CommandEnvelope): Promise<ExecutionResult> {
    return this.aggregates.execute(this.router.definition(envelope.aggregateType)!, envelope);
  }
}
