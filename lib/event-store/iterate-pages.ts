import type { AllStreamReader, ReadStreamOptions } from './event-store.interface.js';
import type { RecordedEvent } from './recorded-event.js';

/** Events read per page when the caller names no page size. */
export const DEFAULT_PAGE_SIZE = 500;

/** Walks a reader page by page until it has nothing more to give, holding one page at a time. */
export async function* iterateReader(reader: AllStreamReader, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<RecordedEvent> {
  for (let page = await reader.next(pageSize); page.length; page = await reader.next(pageSize)) {
    yield* page;
  }
}

/**
 * Walks a stream page by page with keyset paging on the stream version (never an offset), so a
 * long stream is read in bounded memory.
 */
export async function* iterateStreamPages(
  read: (options: ReadStreamOptions) => Promise<RecordedEvent[]>,
  options: ReadStreamOptions & { pageSize?: number },
): AsyncGenerator<RecordedEvent> {
  const { pageSize = DEFAULT_PAGE_SIZE, direction = 'forward' } = options;
  let fromVersion = options.fromVersion;
  let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const want = Math.min(pageSize, remaining);
    const page = await read({ direction, fromVersion, maxCount: want });
    yield* page;
    if (page.length < want) return;
    remaining -= page.length;
    fromVersion = page[page.length - 1].streamVersion + (direction === 'backward' ? -1 : 1);
  }
}
