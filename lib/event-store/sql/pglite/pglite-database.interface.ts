/**
 * The part of an `@electric-sql/pglite` `PGlite` database the embedded store uses. Spelled here so
 * the published types never name that optional package: a `PGlite` instance fits it as it is.
 */
export interface PGliteDatabase {
  readonly closed: boolean;
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  transaction<T>(work: (tx: { query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }> }) => Promise<T>): Promise<T>;
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
