import { InvalidEventError } from '../errors/invalid-event.error.js';
import type { JsonObject } from './recorded-event.js';
import { identifierProblem, shown } from './store-strings.js';

/** Metadata key naming an event's personal fields and the person (data subject) they belong to. */
export const PERSONAL_DATA_KEY = '$personal';

/** What a forgotten personal field reads as, unless its event class declares another placeholder. */
export const FORGOTTEN = '[forgotten]';

/**
 * The `$personal` entry of an event's metadata. The serializer writes it for events declared with
 * `personal`; the store then keeps the named fields of `data` encrypted with the subject's key, and
 * on every read gives them back decrypted, or as `placeholder` with `forgotten: true` once the
 * subject is forgotten. The subject id itself stays readable: use an id, never a name or e-mail.
 */
export interface PersonalFields {
  /** Id of the person the fields belong to (the data subject). */
  subject: string;
  /** Top-level fields of `data` holding personal data. */
  fields: string[];
  /** What the fields read as once forgotten. @default '[forgotten]' */
  placeholder?: unknown;
  /** Present on a read when the subject was forgotten: the fields hold the placeholder. */
  forgotten?: true;
}

/** The personal fields an event's metadata names, or undefined for an event without personal data. */
export const personalFieldsOf = (metadata: JsonObject | undefined): PersonalFields | undefined =>
  metadata?.[PERSONAL_DATA_KEY] as PersonalFields | undefined;

/** What a forgotten field of these personal fields reads as. */
export const placeholderOf = (personal: PersonalFields): unknown => (personal.placeholder === undefined ? FORGOTTEN : personal.placeholder);

/** Refuses, before anything is written, a `$personal` entry the store cannot act on. */
export function assertPersonalFields(eventId: string, personal: unknown): asserts personal is PersonalFields {
  const fail = (problem: string) => {
    throw new InvalidEventError(`Event ${eventId} has personal data the store cannot protect: ${problem}`);
  };
  if (typeof personal !== 'object' || personal === null) return fail(`'${PERSONAL_DATA_KEY}' must be an object`);
  const { subject, fields } = personal as PersonalFields;
  const subjectProblem = identifierProblem(subject);
  if (subjectProblem) fail(`its subject id ${shown(subject)} ${subjectProblem}`);
  if (!Array.isArray(fields) || fields.length === 0 || fields.some((field) => typeof field !== 'string' || field === '')) {
    fail(`'${PERSONAL_DATA_KEY}.fields' must list the names of its personal fields, got ${shown(JSON.stringify(fields))}`);
  }
}
