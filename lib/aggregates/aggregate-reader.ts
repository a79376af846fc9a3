import { Injectable, type Type } from '@nestjs/common';
import { CommandRouter } from './command-router.js';
import { AggregateNotFoundError } from '../errors/aggregate-not-found.error.js';
import { ConfigurationError } from '../errors/configuration.error.js';
import { StreamDeletedError } from '../errors/stream-deleted.error.js';
import { AggregateInstance } from './aggregate-instance.js';
import { AggregateLoader } from './aggregate-loader.js';

/**
 * Reads an aggregate's current state straight from the store (snapshot plus events), without
 * touching the live instance that commands use. For queries, admin tools and tests.
 */
@Injectable()
export class AggregateReader {
  constructor(
    private readonly router: CommandRouter,
    private readonly loader: AggregateLoader,
  ) {}

  /**
   * State and version of one instance; throws `AggregateNotFoundError` when it has no events,
   * `StreamDeletedError` when it was deleted (and not re-created since).
   */
  async load<T extends object>(type: Type<T>, id: string): Promise<{ state: T; version: number }> {
    const definition = this.router.definitions().find((d) => d.type === type);
    if (!definition) throw new ConfigurationError(`${type.name} is not an aggregate registered with EventSourcingModule.forFeature`);
    const instance = new AggregateInstance(definition, `${definition.metadata.prefix}${id}`);
    await this.loader.load(instance);
    if (instance.version === 0) throw new AggregateNotFoundError(instance.streamId);
    if (instance.deleted) throw new StreamDeletedError(instance.streamId, instance.version);
    return { state: instance.state as T, version: instance.version };
  }
}
