/** Append whatever the stream's current version is: no concurrency check. */
export const ANY = 'any' as const;
/** Append only when the stream has no events yet. */
export const NO_STREAM = 'no_stream' as const;
/** Append only when the stream already has at least one event. */
export const STREAM_EXISTS = 'stream_exists' as const;

/**
 * What an append expects of its stream: an exact version (the number of events already in it;
 * `0` means empty), or one of {@link ANY}, {@link NO_STREAM}, {@link STREAM_EXISTS}.
 */
export type ExpectedVersion = number | typeof ANY | typeof NO_STREAM | typeof STREAM_EXISTS;
