import type { AllStreamReader } from './event-store.interface.js';
import { assertPersonalFields, PERSONAL_DATA_KEY, type PersonalFields, personalFieldsOf, placeholderOf } from './personal-fields.js';
import type { AppendResult, JsonObject, NewEvent, RecordedEvent } from './recorded-event.js';
import { isSealedValue, openSealedValue, sealValue } from './sealed-value.js';
import type { SubjectKeys } from './subject-keys.interface.js';

/** The subjects named by the events that carry personal data. */
function subjectsOf(events: ReadonlyArray<NewEvent | RecordedEvent>): string[] {
  const subjects = new Set<string>();
  for (const event of events) {
    const personal = personalFieldsOf(event.metadata);
    if (personal) subjects.add(personal.subject);
  }
  return [...subjects];
}

/** `metadata` with its personal fields entry replaced. */
const withPersonal = (metadata: JsonObject, personal: PersonalFields): JsonObject => ({ ...metadata, [PERSONAL_DATA_KEY]: personal });

/**
 * Where personal data is encrypted and decrypted: every store seals the events it is given before
 * writing anything and opens every event it returns, so aggregates, subscriptions, rebuilds, the CLI
 * and the inspector all read through here.
 *
 * Keys are not cached: each write and each read of a page holding personal data asks the store for
 * the keys of that page's subjects, in one statement. A forget is then in force for every process
 * from the moment its transaction commits, with no cache to invalidate across nodes; a read that
 * fetched the key just before may still return the data once, as a read that began before the
 * forget. A write that fetched the key before the forget stores a value nobody can open again.
 * Keys never leave this file and `sealed-value.ts`: nothing here logs, and a value that does not
 * open reads as forgotten instead of failing.
 */
export class PersonalDataVault {
  constructor(private readonly keys: SubjectKeys) {}

  /** True when some event carries personal data, so the caller awaits {@link seal} or {@link open} only then. */
  static carriesPersonalData(events: ReadonlyArray<NewEvent | RecordedEvent>): boolean {
    // Malformed input passes through, for the store's own checks to refuse with their errors.
    if (!Array.isArray(events)) return false;
    for (const event of events as Array<Partial<NewEvent> | undefined>) if (event?.metadata?.[PERSONAL_DATA_KEY] !== undefined) return true;
    return false;
  }

  /**
   * The events as they are to be stored: each personal field sealed with its subject's key (created
   * on first use), or the placeholder for a subject already forgotten. Refuses a malformed
   * `$personal` entry with `InvalidEventError` before any key is made.
   */
  async seal(events: NewEvent[]): Promise<NewEvent[]> {
    for (const event of events) {
      if (event.metadata?.[PERSONAL_DATA_KEY] !== undefined) assertPersonalFields(event.eventId, event.metadata[PERSONAL_DATA_KEY]);
    }
    const keys = await this.keys.keysFor(subjectsOf(events), true);
    return events.map((event) => {
      const personal = personalFieldsOf(event.metadata);
      if (!personal) return event;
      const key = keys.get(personal.subject) ?? null;
      const data = { ...event.data };
      for (const field of personal.fields) {
        if (data[field] === undefined) continue;
        data[field] = key ? sealValue(key, event.eventId, field, data[field]) : placeholderOf(personal);
      }
      // A `forgotten` mark copied from a read event is the reader's, not the writer's: it is set here alone.
      const declared: PersonalFields = { ...personal };
      delete declared.forgotten;
      return { ...event, data, metadata: withPersonal(event.metadata!, key ? declared : { ...declared, forgotten: true }) };
    });
  }

  /** The events as readers see them: personal fields decrypted, or the placeholder once forgotten. */
  async open(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    if (!PersonalDataVault.carriesPersonalData(events)) return events;
    const keys = await this.keys.keysFor(subjectsOf(events), false);
    return events.map((event) => {
      const personal = personalFieldsOf(event.metadata);
      if (!personal || personal.forgotten) return event;
      const key = keys.get(personal.subject);
      const data = { ...event.data };
      let forgotten = false;
      for (const field of personal.fields) {
        const sealed = data[field];
        if (!isSealedValue(sealed)) continue;
        const opened = key ? openSealedValue(key, event.eventId, field, sealed) : undefined;
        if (opened) data[field] = opened.value;
        else [data[field], forgotten] = [placeholderOf(personal), true];
      }
      const read = { ...event, data };
      if (forgotten) read.metadata = withPersonal(event.metadata, { ...personal, forgotten: true });
      return read;
    });
  }

  /**
   * The appended events with the caller's own data in place of the sealed one (`written` are the
   * events as the caller passed them, `stored` as sealed, in order); the placeholder stays for a
   * subject forgotten before the write, as a read would give it.
   */
  static unsealed(recorded: RecordedEvent[], written: NewEvent[], stored: NewEvent[]): RecordedEvent[] {
    return recorded.map((event, i) => {
      if (stored[i] === written[i]) return event;
      const metadata = stored[i].metadata!;
      return { ...event, data: personalFieldsOf(metadata)!.forgotten ? stored[i].data : written[i].data, metadata };
    });
  }

  /** As {@link unsealed}, for a whole append result. */
  static unsealedResult(result: AppendResult, written: NewEvent[], stored: NewEvent[]): AppendResult {
    return { ...result, events: PersonalDataVault.unsealed(result.events, written, stored) };
  }

  /** A reader that opens each page of `reader`. */
  opening(reader: AllStreamReader): AllStreamReader {
    const open = (events: RecordedEvent[]) => this.open(events);
    return {
      get position() {
        return reader.position;
      },
      get atHead() {
        return reader.atHead;
      },
      next: async (maxCount: number) => open(await reader.next(maxCount)),
    };
  }
}
