/**
 * Which fields hold personal data, and which field names the person (data subject) they belong
 * to: on an event class (`@DomainEvent`), on an aggregate whose snapshots keep such data
 * (`@Aggregate`) or on a process manager whose state does (`@ProcessManager`). The store keeps
 * those fields encrypted with a key of that subject; `DataSubjects.forget(subjectId)` destroys
 * the key, and every read then gives the placeholder.
 */
export interface PersonalDataOptions {
  /** Field holding the id of the person the data belongs to; it stays readable, so use an id, never a name. */
  subject: string;
  /** Top-level fields holding personal data; each is encrypted as a whole (an object field with all it holds). */
  fields: string[];
  /** JSON value a forgotten field reads as. @default '[forgotten]' (the exported `FORGOTTEN`) */
  placeholder?: unknown;
}

/** What is wrong with a personal-data declaration, or undefined when it is sound. */
export function personalDataProblem(personal: PersonalDataOptions): string | undefined {
  if (typeof personal !== 'object' || personal === null) return `'personal' must be an object { subject, fields }`;
  if (typeof personal.subject !== 'string' || personal.subject === '') return `'subject' must name the field holding the person's id`;
  const { fields } = personal;
  if (!Array.isArray(fields) || fields.length === 0 || fields.some((field) => typeof field !== 'string' || field === '')) {
    return `'fields' must list the names of the personal fields, got ${JSON.stringify(fields)}`;
  }
  if (fields.includes(personal.subject)) return `the subject field '${personal.subject}' cannot also be a personal field: it must stay readable`;
  if (personal.placeholder !== undefined && JSON.stringify(personal.placeholder) === undefined) return `'placeholder' must be a JSON value`;
  return undefined;
}

/** A copy of a sound declaration, so a caller changing its own object later changes nothing here. */
export const copiedPersonalData = (personal: PersonalDataOptions): PersonalDataOptions => ({ ...personal, fields: [...personal.fields] });
