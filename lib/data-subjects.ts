import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { COMMAND_SETTINGS, type CommandSettings } from './commands/command.options.js';
import { ConfigurationError } from './errors/configuration.error.js';
import { isDuplicateEvent } from './errors/duplicate-event.error.js';
import { EventStore } from './event-store/event-store.interface.js';
import { ANY } from './event-store/expected-version.js';
import { assertIdentifier } from './event-store/store-strings.js';
import type { SubjectKeys } from './event-store/subject-keys.interface.js';
import { EventSerializer } from './events/event-serializer.js';
import { SUBJECT_FORGOTTEN, SubjectForgotten, subjectStreamOf } from './events/subject-forgotten.event.js';
import { ConsistencyWaiter } from './subscriptions/consistency-waiter.js';
import { SubscriptionCatalog } from './subscriptions/subscription-catalog.js';
import { deterministicUuid } from './util/deterministic-uuid.js';

/** What {@link DataSubjects.forget} did. */
export interface ForgetResult {
  subjectId: string;
  /** True when this call destroyed the subject's key; false when it had none or was forgotten before. */
  keyDestroyed: boolean;
  /** Global position of the subject's `SubjectForgotten` event. */
  position: number;
}

/** Options of {@link DataSubjects.forget}. */
export interface ForgetOptions {
  /** How long to wait for strong subscriptions to handle `SubjectForgotten`, in ms. @default the module's `commands.timeout` */
  timeout?: number;
}

/**
 * Forgets people (crypto-shredding): destroys a data subject's key, so every personal field stored
 * for it reads as its placeholder from then on, on every node, then records `SubjectForgotten` once
 * per subject (a fixed event id: a repeat or a concurrent forget appends nothing more) and waits, as
 * a strong dispatch does, for the strong subscriptions that handle it.
 */
@Injectable()
export class DataSubjects implements OnApplicationBootstrap {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly waiter: ConsistencyWaiter,
    private readonly catalog: SubscriptionCatalog,
    @Inject(COMMAND_SETTINGS) private readonly settings: CommandSettings,
  ) {
    serializer.register(SubjectForgotten);
  }

  /** Refuses a store that would keep declared personal data in plain text. */
  onApplicationBootstrap(): void {
    if (this.serializer.hasPersonalData() && !this.store.subjectKeys) {
      throw new ConfigurationError('Events declare personal data, but the event store has no subject keys to encrypt it with: use a built-in adapter');
    }
  }

  /** Destroys `subjectId`'s key and records it; safe to repeat. Throws `InvalidIdentifierError` for an id no store can hold. */
  async forget(subjectId: string, options: ForgetOptions = {}): Promise<ForgetResult> {
    assertIdentifier('subject id', subjectId);
    const streamId = subjectStreamOf(subjectId);
    assertIdentifier('subject stream id', streamId);
    const deadline = Date.now() + (options.timeout ?? this.settings.timeout);
    const keyDestroyed = await this.keys().forget(subjectId);
    const position = await this.record(subjectId, streamId);
    const names = this.catalog.relevant(this.catalog.strongNames(), { streamId, eventTypes: [SUBJECT_FORGOTTEN] });
    if (names.length) await this.waiter.waitFor(names, position, deadline - Date.now());
    return { subjectId, keyDestroyed, position };
  }

  /** True when `subjectId` was forgotten. */
  isForgotten(subjectId: string): Promise<boolean> {
    assertIdentifier('subject id', subjectId);
    return this.keys().isForgotten(subjectId);
  }

  private keys(): SubjectKeys {
    if (!this.store.subjectKeys) throw new ConfigurationError('The event store has no subject keys: use a built-in adapter to forget people');
    return this.store.subjectKeys;
  }

  /** Appends the subject's one `SubjectForgotten`, or finds it: its position. */
  private async record(subjectId: string, streamId: string): Promise<number> {
    const event = new SubjectForgotten(subjectId, new Date().toISOString());
    const stored = this.serializer.serialize(event, { eventId: deterministicUuid('subject-forgotten', subjectId) });
    try {
      return (await this.store.appendToStream(streamId, ANY, [stored])).globalPosition;
    } catch (error) {
      if (!isDuplicateEvent(error)) throw error;
      const [first] = await this.store.readStream(streamId, { maxCount: 1 });
      return first.globalPosition;
    }
  }
}
