import { newSubjectKey } from '../sealed-value.js';
import type { SubjectKeys } from '../subject-keys.interface.js';

/** The memory store's subject keys: a map, `null` for a forgotten subject. */
export class MemorySubjectKeys implements SubjectKeys {
  private readonly keys = new Map<string, Buffer | null>();

  async keysFor(subjectIds: readonly string[], create: boolean): Promise<Map<string, Buffer | null>> {
    const found = new Map<string, Buffer | null>();
    for (const subject of subjectIds) {
      if (create && !this.keys.has(subject)) this.keys.set(subject, newSubjectKey());
      if (this.keys.has(subject)) found.set(subject, this.keys.get(subject)!);
    }
    return found;
  }

  async forget(subjectId: string): Promise<boolean> {
    const destroyed = !!this.keys.get(subjectId);
    this.keys.set(subjectId, null);
    return destroyed;
  }

  async isForgotten(subjectId: string): Promise<boolean> {
    return this.keys.get(subjectId) === null;
  }
}
