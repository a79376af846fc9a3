/**
 * The store's table of data-subject keys: one AES-256 key per person whose personal data events
 * hold, kept apart from the events so that deleting it makes that data unreadable everywhere the
 * events were copied (crypto-shredding). A forgotten subject keeps a row without a key, so it is
 * never given a new one: personal data written for it later is stored as the placeholder.
 */
export interface SubjectKeys {
  /**
   * The key of each subject, `null` for a forgotten one. With `create`, a subject without a row is
   * given a new key; concurrent first uses, from any process, end with the same single key.
   * Without it, a subject without a row is absent from the map.
   */
  keysFor(subjectIds: readonly string[], create: boolean): Promise<Map<string, Buffer | null>>;
  /**
   * Destroys the subject's key and records it as forgotten; true when a key was destroyed,
   * false when the subject had none or was forgotten before. Safe to repeat and to run concurrently.
   */
  forget(subjectId: string): Promise<boolean>;
  /** True when the subject was forgotten. */
  isForgotten(subjectId: string): Promise<boolean>;
}
