import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { ANY, CommandGateway, type InMemoryEventStore } from '../../lib/index.js';
import { Add } from '../fixtures/tally.js';
import { launchChromium } from './chromium.js';
import { Gate, startInspectorApp } from './inspector-app.js';

/** Lets the store's clock move on, so the next event is recorded at a later millisecond. */
const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 5));

/** The inspector's time travel: a stream's events up to a version or time and its aggregate's state there, in a real Chromium. */
describe('inspector time travel', () => {
  const gate = new Gate();
  const id = randomUUID();
  const stream = `tally-${id}`;
  let app: INestApplication;
  let store: InMemoryEventStore;
  let url: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;

  beforeAll(async () => {
    gate.open();
    ({ app, store, url } = await startInspectorApp(gate, {}));
    for (const by of [1, 2, 3]) {
      await nextMillisecond();
      await app.get(CommandGateway).dispatch(new Add(id, by));
    }
    chromium = await launchChromium({ viewport: { width: 1280, height: 800 } });
    page = await chromium.browser.newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await app?.close();
  });

  const get = async (path: string) => {
    const response = await fetch(`${url}/_inspector/api/${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const eventRows = () => page.locator('#events tbody tr');
  const stateShown = () => page.locator('#state pre');
  const timeOf = async (version: number) => (await store.readStream(stream, { fromVersion: version, maxCount: 1 }))[0].createdAt;

  it('answers the state of a stream now or at a point, and refuses what does not exist with the error code', async () => {
    expect(await get(`state?stream=${stream}&at=2`)).toEqual({
      status: 200,
      body: { streamId: stream, aggregate: 'Tally', version: 2, state: expect.objectContaining({ total: 3 }) },
    });
    expect((await get(`state?stream=${stream}`)).body).toMatchObject({ version: 3, state: { total: 6 } });
    const events = await get(`events?stream=${stream}&at=${(await timeOf(2)).toISOString()}`);
    expect(events.body).toMatchObject({ until: 2, events: [{ streamVersion: 1 }, { streamVersion: 2 }] });
    expect(await get(`state?stream=${stream}&at=9`)).toMatchObject({ status: 404, body: { code: 'VERSION_NOT_REACHED' } });
    expect(await get(`state?stream=${stream}&at=soon`)).toMatchObject({ status: 400, body: { code: 'INVALID_OPTIONS' } });
    expect(await get(`state?stream=note-${id}`)).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('belongs to no registered aggregate') },
    });
    expect(await get(`state?stream=tally-${randomUUID()}&at=1`)).toMatchObject({ status: 404, body: { code: 'AGGREGATE_NOT_FOUND' } });
  });

  it('shows the events up to a version and the state there, from a deep link', async () => {
    await page.goto(`${url}/_inspector#/streams/${encodeURIComponent(stream)}?at=2`);
    await page.locator('#state-title', { hasText: 'Tally at version 2 (as of 2)' }).waitFor();
    expect(await stateShown().textContent()).toContain('"total": 3');
    expect(await eventRows().count()).toBe(2);
    expect(await page.locator('#until').textContent()).toBe('as of 2: up to version 2');
    expect(await page.inputValue('#at')).toBe('2');
  });

  it('moves to a time typed in, then back to now, leaving the live aggregate as it was', async () => {
    const first = (await timeOf(1)).toISOString();
    await page.fill('#at', first);
    await page.click('#as-of button:has-text("Show")');
    await page.locator('#state-title', { hasText: `Tally at version 1 (as of ${first})` }).waitFor();
    expect(await stateShown().textContent()).toContain('"total": 1');
    expect(await eventRows().count()).toBe(1);
    await page.click('#now');
    await page.locator('#state-title', { hasText: /^Tally at version 3$/ }).waitFor();
    expect(await stateShown().textContent()).toContain('"total": 6');
    expect(await eventRows().count()).toBe(3);
    expect(await app.get(CommandGateway).dispatch(new Add(id, 4), { returning: 'aggregateVersion' })).toBe(4);
  });

  it('opens the state up to an event from its details, and says why a stream has no state', async () => {
    await page.goto(`${url}/_inspector#/streams/${encodeURIComponent(stream)}/2`);
    await page.locator('#event-details a', { hasText: 'events and state up to here' }).click();
    await page.locator('#state-title', { hasText: 'Tally at version 2 (as of 2)' }).waitFor();
    await store.appendToStream(`note-${id}`, ANY, [{ eventId: randomUUID(), eventType: 'InspectorNote', data: { text: 'no aggregate here' } }]);
    await page.goto(`${url}/_inspector#/streams/${encodeURIComponent(`note-${id}`)}`);
    await page.locator('#state', { hasText: 'belongs to no registered aggregate' }).waitFor();
    expect(await page.locator('#state-title').textContent()).toBe('');
  });

  it('shows a deleted stream as it was before its deletion, and the deletion from its tombstone on', async () => {
    const { version } = await store.deleteStream(stream);
    await page.goto(`${url}/_inspector#/streams/${encodeURIComponent(stream)}`);
    await page.locator('#state', { hasText: `was deleted at version ${version}` }).waitFor();
    await page.fill('#at', String(version - 1));
    await page.click('#as-of button:has-text("Show")');
    await page.locator('#state-title', { hasText: `Tally at version ${version - 1}` }).waitFor();
    expect(await stateShown().textContent()).toContain('"total": 10');
  });
});
