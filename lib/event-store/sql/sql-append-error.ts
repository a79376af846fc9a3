import { DuplicateCommandError } from '../../errors/duplicate-command.error.js';
import { DuplicateEventError } from '../../errors/duplicate-event.error.js';
import { StreamDeletedError } from '../../errors/stream-deleted.error.js';
import { WrongExpectedVersionError } from '../../errors/wrong-expected-version.error.js';
import type { ExpectedVersion } from '../expected-version.js';
import { STREAM_DELETED_SQLSTATE, WRONG_EXPECTED_VERSION_SQLSTATE } from './sql-states.js';
import type { NewEvent } from '../recorded-event.js';

const UNIQUE_VIOLATION = '23505';
/** The unique keys of the events table, and of each of its partitions when it is partitioned (`events_p<lower>_...`). */
const EVENT_ID_KEY = /^events(_p\d+)?_event_id_key$/;
const STREAM_VERSION_KEY = /^events(_p\d+)?_stream_version_key$/;

type DatabaseError = Error & { code?: string; constraint?: string; detail?: string };

/**
 * Maps the database's own refusals of an append to typed errors: the version and deletion checks
 * of the append function, and the unique constraints behind it.
 */
export function translateAppendError(error: unknown, streamId: string, expected: ExpectedVersion, events: NewEvent[], commandId?: string): unknown {
  const { code, constraint, detail } = (error ?? {}) as DatabaseError;
  if (code === WRONG_EXPECTED_VERSION_SQLSTATE) return new WrongExpectedVersionError(streamId, expected, Number(detail));
  if (code === STREAM_DELETED_SQLSTATE) return new StreamDeletedError(streamId, Number(detail));
  if (code !== UNIQUE_VIOLATION) return error;
  if (EVENT_ID_KEY.test(constraint ?? '')) {
    const id = /\(event_id\)=\(([^)]+)\)/.exec(detail ?? '')?.[1] ?? events[0].eventId;
    return new DuplicateEventError(id);
  }
  if (constraint === 'commands_pkey' && commandId !== undefined) return new DuplicateCommandError(commandId, 'another append');
  // The (stream_id, stream_version) key is a backstop behind the locked version check.
  if (STREAM_VERSION_KEY.test(constraint ?? '')) {
    return new WrongExpectedVersionError(streamId, expected, undefined);
  }
  return error;
}
