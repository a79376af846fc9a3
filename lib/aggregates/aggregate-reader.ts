import { Inject, Injectable, Optional, type Type } from '@nestjs/common';
import { CommandRouter } from './command-router.js';
import { AggregateNotFoundError } from '../errors/aggregate-not-found.error.js';
import { ConfigurationError } from '../errors/configuration.error.js';
import { StreamDeletedError } from '../errors/stream-deleted.error.js';
import { type AggregateAt, assertAggregateAt } from '../event-store/aggregate-at.js';
import { EventStore } from '../event-store/event-store.interface.js';
import type { AggregateDefinition } from './aggregate-definition.js';
import { AggregateInstance } from './aggregate-instance.js';
import { AggregateLoader } from './aggregate-loader.js';
import { historyVersion } from './history-version.js';
import type { LoadAggregateOptions, LoadedAggregate, LoadStreamOptions } from './load-aggregate.options.js';
import { aggregateOfStream } from './stream-aggregate.js';
import { assertOwnTenant, OWN_TENANT, TenantRouter } from '../tenants/tenant-router.js';

/**
 * Reads an aggregate's state straight from the store (snapshot plus events), now or as it was at a
 * point of its history, without touching the live instance that commands use. For queries, admin
 * tools and tests.
 */
@Injectable()
export class AggregateReader {
  constructor(
    private readonly router: CommandRouter,
    private readonly loader: AggregateLoader,
    @Inject(EventStore) private readonly store: EventStore,
    /** Absent where a reader is built by hand (the CLI): no tenants there. */
    @Optional() @Inject(TenantRouter) private readonly tenants?: TenantRouter,
    /** The tenant this reader's engine serves, in a tenant's engine only. */
    @Optional() @Inject(OWN_TENANT) private readonly tenant?: string,
  ) {}

  /**
   * State and version of one instance, now or `at` a version or time. Throws
   * `AggregateNotFoundError` when it has no events (by then), `StreamDeletedError` when it was
   * deleted (and not re-created since; by then), `VersionNotReachedError` for a version past its
   * own, `StreamTruncatedError` when the events up to that point were removed, and
   * `InvalidOptionsError` for a malformed `at`.
   */
  async load<T extends object>(type: Type<T>, id: string, options: LoadAggregateOptions = {}): Promise<LoadedAggregate<T>> {
    if (this.tenants?.enabled) return (await this.tenantReader(options.tenant, `load of ${type.name} ${id}`)).load(type, id, options);
    assertOwnTenant(this.tenant, options.tenant, 'read', 'AggregateReader');
    const definition = this.router.definitions().find((d) => d.type === type);
    if (!definition) throw new ConfigurationError(`${type.name} is not an aggregate registered with EventSourcingModule.forFeature`);
    return (await this.read(definition, `${definition.metadata.prefix}${id}`, options.at)) as LoadedAggregate<T>;
  }

  /**
   * As {@link load}, by stream id, for operator tools: the stream's aggregate is the registered one
   * whose prefix it starts with (the longest), or the one `options.aggregate` names.
   */
  async loadStream(streamId: string, options: LoadStreamOptions = {}): Promise<LoadedAggregate & { aggregate: string }> {
    if (this.tenants?.enabled) return (await this.tenantReader(options.tenant, `load of stream ${streamId}`)).loadStream(streamId, options);
    assertOwnTenant(this.tenant, options.tenant, 'read', 'AggregateReader');
    const definition = aggregateOfStream(this.router.definitions(), streamId, options.aggregate);
    return { aggregate: definition.metadata.type, ...(await this.read(definition, streamId, options.at)) };
  }

  private async tenantReader(tenant: string | undefined, operation: string): Promise<AggregateReader> {
    return (await this.tenants!.engine(tenant, operation)).get(AggregateReader);
  }

  private async read(definition: AggregateDefinition, streamId: string, at: AggregateAt | undefined): Promise<LoadedAggregate> {
    if (at !== undefined) assertAggregateAt(at);
    const upTo = at && (await historyVersion(this.store, streamId, at));
    const instance = new AggregateInstance(definition, streamId);
    await this.loader.load(instance, upTo);
    if (instance.version === 0) throw new AggregateNotFoundError(instance.streamId);
    if (instance.deleted) {
      throw at
        ? new StreamDeletedError(streamId, instance.version, `load it at an earlier version or time to see it as it was before`)
        : new StreamDeletedError(streamId, instance.version);
    }
    return { state: instance.state, version: instance.version };
  }
}
