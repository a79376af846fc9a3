/** What a handler returned — nothing, one message or several — as a list. */
export const asList = (produced: unknown): object[] =>
  produced === undefined || produced === null ? [] : Array.isArray(produced) ? (produced as object[]) : [produced as object];
