/**
 * The stored types of a batch, each once, in order of first appearance: what an append announces.
 * Most batches hold one event, which needs neither a set nor a copy of it.
 */
export function distinctEventTypes(events: ReadonlyArray<{ eventType: string }>): string[] {
  if (events.length === 1) return [events[0].eventType];
  return [...new Set(events.map((event) => event.eventType))];
}
