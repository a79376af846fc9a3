import { ConfigurationError } from '../errors/configuration.error.js';
import { PERSONAL_DATA_KEY, type PersonalFields, personalFieldsOf, placeholderOf } from './personal-fields.js';
import type { JsonObject } from './recorded-event.js';
import { isSealedValue, openSealedValue, sealValue } from './sealed-value.js';
import { assertIdentifier } from './store-strings.js';
import type { SubjectKeys } from './subject-keys.interface.js';

/**
 * Personal data held in stored state rather than in events: the snapshots of an aggregate and the
 * state of a process manager declared with `personal`. A state is derived from events, but once
 * stored it is a copy of its own, so it is sealed the way an event's fields are: each declared
 * field of the encoded state under the key of the subject its `subject` field names, bound to the
 * state's stream id, with a `$personal` entry (the subject id, the fields, the placeholder) beside
 * them saying what to open. Opening removes the entry and gives the fields back, or their
 * placeholder once the subject is forgotten, so the state codec always sees the state it encoded.
 * A snapshot of a stream whose early events were truncated therefore stays loadable after a forget:
 * only its personal fields change, as the events' do.
 */

/** What a class declares personal in its state: `subject` names the state field holding the person's id. */
export interface PersonalStateDeclaration {
  subject: string;
  fields: readonly string[];
  placeholder?: unknown;
}

/** `data` as it is to be stored: its personal fields sealed, or their placeholder for a forgotten subject. */
export async function sealState(
  keys: SubjectKeys | undefined,
  streamId: string,
  data: JsonObject,
  declared: PersonalStateDeclaration,
): Promise<JsonObject> {
  const present = declared.fields.filter((field) => data[field] !== undefined);
  if (!present.length) return data;
  const subject = data[declared.subject];
  assertIdentifier(`subject id in field '${declared.subject}' of the state of ${streamId}`, subject);
  if (!keys)
    throw new ConfigurationError(`The state of ${streamId} holds personal data, but the event store has no subject keys: use a built-in adapter`);
  const key = (await keys.keysFor([subject as string], true)).get(subject as string) ?? null;
  const personal: PersonalFields = { subject: subject as string, fields: present };
  if (declared.placeholder !== undefined) personal.placeholder = declared.placeholder;
  const sealed: JsonObject = { ...data, [PERSONAL_DATA_KEY]: personal };
  for (const field of present) sealed[field] = key ? sealValue(key, streamId, field, data[field]) : placeholderOf(personal);
  return sealed;
}

/** Stored state as the codec reads it: personal fields opened, or their placeholder once forgotten. */
export async function openState(keys: SubjectKeys | undefined, streamId: string, data: JsonObject): Promise<JsonObject> {
  const personal = personalFieldsOf(data);
  if (!personal) return data;
  const key = keys ? (await keys.keysFor([personal.subject], false)).get(personal.subject) : undefined;
  const opened: JsonObject = { ...data };
  delete opened[PERSONAL_DATA_KEY];
  for (const field of personal.fields) {
    const value = opened[field];
    if (!isSealedValue(value)) continue;
    const open = key ? openSealedValue(key, streamId, field, value) : undefined;
    opened[field] = open ? open.value : placeholderOf(personal);
  }
  return opened;
}
