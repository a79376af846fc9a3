/** What a handler returned — nothing, one message or several — as a list. */
export function asList(produced: unknown): object[] {
  if (produced === undefined || produced === null) return [];
  const list: unknown[] = Array.isArray(produced) ? produced : [produced];
  return list as object[];
}
