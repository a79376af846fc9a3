import { Inject, Injectable, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { AggregateManager } from './aggregates/aggregate-manager.js';
import { COMMAND_SETTINGS, type CommandSettings } from './commands/command.options.js';
import { ConfigurationError } from './errors/configuration.error.js';
import { InvalidOptionsError } from './errors/invalid-options.error.js';
import { EventStore } from './event-store/event-store.interface.js';
import { type ForgetResult, forgetSubject, SUBJECT_FORGOTTEN, subjectStreamOf } from './event-store/forget-subject.js';
import { assertIdentifier } from './event-store/store-strings.js';
import { EventSerializer } from './events/event-serializer.js';
import { SubjectForgotten } from './events/subject-forgotten.event.js';
import { type AppendedMessage, PubSub, PubSubChannels } from './pubsub/pubsub.interface.js';
import { ConsistencyWaiter } from './subscriptions/consistency-waiter.js';
import { SubscriptionCatalog } from './subscriptions/subscription-catalog.js';
import { assertOwnTenant, OWN_TENANT, TenantRouter } from './tenants/tenant-router.js';

/** Options of {@link DataSubjects.forget}. */
export interface ForgetOptions {
  /** How long to wait for strong subscriptions to handle `SubjectForgotten`, in ms. @default the module's `commands.timeout` */
  timeout?: number;
  /** The tenant whose subject to forget, when the module serves tenants (required there). @default the tenant of the `Tenants.run` around the call, if any */
  tenant?: string;
}

/**
 * Forgets people (crypto-shredding): destroys a data subject's key, so every personal field stored
 * for it reads as its placeholder from then on, on every node; records `SubjectForgotten` once per
 * subject; drops the live aggregates whose state names it, here and, when they hear of it, on the
 * other nodes; then waits, as a strong dispatch does, for the strong subscriptions that handle it, so a
 * read model they keep no longer holds the data when `forget` returns.
 */
@Injectable()
export class DataSubjects implements OnApplicationBootstrap {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly waiter: ConsistencyWaiter,
    private readonly catalog: SubscriptionCatalog,
    @Inject(COMMAND_SETTINGS) private readonly settings: CommandSettings,
    private readonly aggregates: AggregateManager,
    @Inject(PubSub) private readonly pubsub: PubSub,
    /** The tenant this engine serves, in a tenant's engine only. */
    @Inject(TenantRouter) private readonly tenants: TenantRouter,
    @Optional() @Inject(OWN_TENANT) private readonly tenant?: string,
  ) {
    serializer.register(SubjectForgotten);
  }

  /** Refuses a store that would keep declared personal data in plain text. */
  onApplicationBootstrap(): void {
    if (this.serializer.hasPersonalData() && !this.store.subjectKeys) {
      throw new ConfigurationError(
        'Events declare personal data, but the event store has no subject keys to encrypt it with: use a built-in adapter',
      );
    }
  }

  /**
   * Destroys `subjectId`'s key and records it; safe to repeat. Throws `InvalidIdentifierError` for
   * an id no store can hold and `InvalidOptionsError` for a bad timeout (both before anything
   * changes), and `ConsistencyTimeoutError` when strong subscriptions do not handle
   * the forget in time (the key is destroyed all the same).
   */
  async forget(subjectId: string, options: ForgetOptions = {}): Promise<ForgetResult> {
    if (this.tenants.enabled) {
      const engine = await this.tenants.engine(options.tenant, `forget of ${subjectId}`);
      return this.tenants.run(engine.tenant, () => engine.get(DataSubjects).forget(subjectId, options));
    }
    assertOwnTenant(this.tenant, options.tenant, 'forget', 'DataSubjects');
    const { timeout } = options;
    if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
      throw new InvalidOptionsError([`'timeout' must be a positive number of ms, got ${JSON.stringify(timeout)}`]);
    }
    const deadline = Date.now() + (options.timeout ?? this.settings.timeout);
    // Signed with the tenant as a command's events are, so handlers see it in `context.tenant`.
    const result = await forgetSubject(this.store, subjectId, this.tenant === undefined ? undefined : { tenant: this.tenant });
    this.aggregates.releaseSubject(subjectId);
    const appended = { position: result.position, streamId: subjectStreamOf(subjectId), version: 1, eventTypes: [SUBJECT_FORGOTTEN] };
    // Wakes subscriptions everywhere and drops other nodes' live instances naming the subject.
    void this.pubsub.publish(PubSubChannels.appended, appended satisfies AppendedMessage);
    const names = this.catalog.relevant(this.catalog.strongNames(), appended);
    if (names.length) await this.waiter.waitFor(names, result.position, deadline - Date.now());
    return result;
  }

  /** True when `subjectId` was forgotten. */
  isForgotten(subjectId: string): Promise<boolean> {
    assertIdentifier('subject id', subjectId);
    if (!this.store.subjectKeys) return Promise.resolve(false);
    return this.store.subjectKeys.isForgotten(subjectId);
  }
}
