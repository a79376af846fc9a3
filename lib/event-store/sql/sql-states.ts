/** SQLSTATE raised by the append functions when the stream is not at the expected version. */
export const WRONG_EXPECTED_VERSION_SQLSTATE = 'ES409';
/** SQLSTATE raised by the trigger that keeps stored events immutable. */
export const IMMUTABLE_EVENT_SQLSTATE = 'ES403';
/** SQLSTATE raised by the append functions when an append meets a deleted stream's tombstone (migration 14 on). */
export const STREAM_DELETED_SQLSTATE = 'ES410';
