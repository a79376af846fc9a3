/** A store's read replica as the store last saw it, for health checks and operators. */
export interface ReplicaStatus {
  /** It answered as a standby just now. */
  reachable: boolean;
  /** Bytes of the primary's WAL it has not replayed yet (when it answered). */
  lagBytes?: number;
  /** Events catch-up readers got from it since the store opened. */
  eventsRead: number;
  /** Why it did not answer. */
  error?: string;
}
