/**
 * Values built once per key and kept: span names and attribute sets per command, aggregate or
 * event type, of which an application has few. The hot path then reads a map instead of building.
 */
export class KeyedCache<T> {
  private readonly values = new Map<string, T>();

  get(key: string, build: (key: string) => T): T {
    let value = this.values.get(key);
    if (value === undefined) this.values.set(key, (value = build(key)));
    return value;
  }
}
