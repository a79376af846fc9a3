import { isDuplicateEvent } from '../errors/duplicate-event.error.js';
import { ConfigurationError } from '../errors/configuration.error.js';
import { deterministicUuid } from '../util/deterministic-uuid.js';
import type { EventStore } from './event-store.interface.js';
import { ANY } from './expected-version.js';
import type { JsonObject } from './recorded-event.js';
import { assertIdentifier } from './store-strings.js';

/** Stored type name of the event recording a forget (the `SubjectForgotten` class). */
export const SUBJECT_FORGOTTEN = '$SubjectForgotten';

const SUBJECT_STREAM_PREFIX = '$subject-';

/** Stream each forget is recorded on, one per subject: `$subject-<subjectId>`. */
export const subjectStreamOf = (subjectId: string): string => `${SUBJECT_STREAM_PREFIX}${subjectId}`;

/** The subject whose forget `streamId` records, or undefined for any other stream. */
export const subjectOfStream = (streamId: string): string | undefined =>
  streamId.startsWith(SUBJECT_STREAM_PREFIX) ? streamId.slice(SUBJECT_STREAM_PREFIX.length) : undefined;

/** What forgetting a subject did. */
export interface ForgetResult {
  subjectId: string;
  /** True when this call destroyed the subject's key; false when it had none or was forgotten before. */
  keyDestroyed: boolean;
  /** Global position of the subject's `SubjectForgotten` event. */
  position: number;
}

/**
 * Forgets a data subject: destroys its key first (from then on its personal fields read as their
 * placeholder, on every node), then records `SubjectForgotten` on `$subject-<id>`. The event has an
 * id derived from the subject, so a repeat, a concurrent forget or a retry after a crash between
 * the two steps records it exactly once. Throws `InvalidIdentifierError` for an id no store can hold,
 * before anything changes. `metadata` is stored with the event (a tenant's engine names its tenant).
 */
export async function forgetSubject(store: EventStore, subjectId: string, metadata?: JsonObject): Promise<ForgetResult> {
  assertIdentifier('subject id', subjectId);
  const streamId = subjectStreamOf(subjectId);
  assertIdentifier('subject stream id', streamId);
  if (!store.subjectKeys) throw new ConfigurationError('The event store has no subject keys: use a built-in adapter to forget people');
  const keyDestroyed = await store.subjectKeys.forget(subjectId);
  const event = {
    eventId: deterministicUuid('subject-forgotten', subjectId),
    eventType: SUBJECT_FORGOTTEN,
    data: { subjectId, forgottenAt: new Date().toISOString() },
    ...(metadata && { metadata }),
  };
  try {
    const { globalPosition } = await store.appendToStream(streamId, ANY, [event]);
    return { subjectId, keyDestroyed, position: globalPosition };
  } catch (error) {
    if (!isDuplicateEvent(error)) throw error;
    const [recorded] = await store.readStream(streamId, { maxCount: 1 });
    return { subjectId, keyDestroyed, position: recorded.globalPosition };
  }
}
