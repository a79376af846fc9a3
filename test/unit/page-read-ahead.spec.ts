import { type Page, PageReadAhead } from '../../lib/subscriptions/page-read-ahead.js';

/**
 * A reader whose reads the test answers one by one: it records when each read starts and fails
 * the test if one starts while another is still out (a reader is sequential).
 */
class ScriptedReader {
  readonly started: number[] = [];
  private out?: { resolve: (page: Page) => void; reject: (error: Error) => void };

  read = (): Promise<Page> => {
    if (this.out) throw new Error('a read started while another was still out');
    this.started.push(this.started.length + 1);
    return new Promise<Page>((resolve, reject) => (this.out = { resolve, reject }));
  };

  /** Answers the read that is out; `through` is its number, so pages show their order. */
  async answer(atHead = false): Promise<void> {
    const out = this.out;
    if (!out) throw new Error('no read is out');
    this.out = undefined;
    out.resolve({ events: [], through: this.started.length, atHead });
    await settle();
  }

  async fail(error: Error): Promise<void> {
    this.out?.reject(error);
    this.out = undefined;
    await settle();
  }

  get reading(): boolean {
    return this.out !== undefined;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PageReadAhead: pages read ahead of their delivery', () => {
  let reader: ScriptedReader;
  let active: boolean;
  let pages: PageReadAhead;

  beforeEach(() => {
    reader = new ScriptedReader();
    active = true;
    pages = new PageReadAhead(reader.read, () => active);
  });

  it('starts the next read as soon as a page answers, before that page is taken', async () => {
    const first = pages.take();
    await reader.answer();
    expect((await first).through).toBe(1);
    expect(reader.started).toEqual([1, 2]);
    expect(reader.reading).toBe(true);
  });

  it('reads a second page ahead while one waits untaken, and no third until one is taken', async () => {
    const first = pages.take();
    await reader.answer();
    await reader.answer();
    // Page 1 is being delivered (taken), page 2 is read, page 3 is out.
    expect(reader.started).toEqual([1, 2, 3]);
    await reader.answer();
    expect(reader.reading).toBe(false);
    expect(reader.started).toEqual([1, 2, 3]);
    expect((await first).through).toBe(1);
    expect((await pages.take()).through).toBe(2);
    // Taking page 2 leaves one page untaken: the read of page 4 starts.
    expect(reader.started).toEqual([1, 2, 3, 4]);
    expect((await pages.take()).through).toBe(3);
    await reader.answer();
    expect((await pages.take()).through).toBe(4);
  });

  it('reads nothing after a page at the head until the next page is asked for', async () => {
    const first = pages.take();
    await reader.answer(true);
    expect((await first).atHead).toBe(true);
    expect(reader.started).toEqual([1]);
    const next = pages.take();
    expect(reader.started).toEqual([1, 2]);
    await reader.answer();
    expect((await next).through).toBe(2);
  });

  it('stops reading ahead once the session is no longer active', async () => {
    const first = pages.take();
    active = false;
    await reader.answer();
    await first;
    expect(reader.started).toEqual([1]);
  });

  it('stops reading ahead after a failed read, whose error comes with its page', async () => {
    const first = pages.take();
    await reader.answer();
    await first;
    await reader.fail(new Error('connection lost'));
    await expect(pages.take()).rejects.toThrow('connection lost');
    expect(reader.started).toEqual([1, 2]);
  });
});
