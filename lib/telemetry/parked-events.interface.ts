/**
 * A source of the `eventsourcing.events.parked` gauge: how many events each subscription has set
 * aside. Provide one under the {@link ParkedEvents} token to replace the default reading.
 */
export interface ParkedEvents {
  count(): Promise<Array<{ subscription: string; count: number }>>;
}

/** Injection token of the {@link ParkedEvents} source. */
export const ParkedEvents = Symbol('ParkedEvents');
