import type { RecordedEvent } from '../event-store/recorded-event.js';

/** A page as read: its events, how far the reader looked, and whether it reached the head. */
export interface Page {
  events: RecordedEvent[];
  through: number;
  atHead: boolean;
}

/** Pages read and not yet taken, the one being read included. */
const AHEAD = 2;

/**
 * Reads a subscription's pages ahead of their delivery. A read starts as soon as the one before it
 * answered, not when its page is taken: so the store is at work on a page through all of the
 * delivery and checkpoint of the page before, and the event loop parses a page while the next is
 * read. Taking a page started only then would leave the store idle from the moment a page
 * arrives until the page before it is checkpointed, on every page of a catch-up.
 *
 * Invariants: reads run one at a time, in order (a reader is sequential: each starts from where the
 * last stopped); at most {@link AHEAD} pages are read and not taken, so memory holds at most three
 * pages with the one being delivered; after a page at the head nothing is read until the next
 * {@link take} (what is appended meanwhile announces itself); nothing is read once `active` says
 * no, and a failed read ends reading ahead (its error comes with its page).
 */
export class PageReadAhead {
  private readonly untaken: Array<Promise<Page>> = [];
  /** The last read answered, not at the head, while {@link AHEAD} pages were untaken: the next take reads on. */
  private resume = false;

  constructor(
    private readonly read: () => Promise<Page>,
    private readonly active: () => boolean,
  ) {}

  /** The next page in order: one read ahead, or a read started now. */
  take(): Promise<Page> {
    const page = this.untaken.shift() ?? this.begin();
    if (this.resume) {
      this.resume = false;
      this.untaken.push(this.begin());
    }
    return page;
  }

  private begin(): Promise<Page> {
    const page = this.read();
    page.then(
      (answered) => {
        if (answered.atHead || !this.active()) return;
        if (this.untaken.length < AHEAD) this.untaken.push(this.begin());
        else this.resume = true;
      },
      // A read abandoned when the session ends must not go unhandled; one taken rejects there.
      () => undefined,
    );
    return page;
  }
}
