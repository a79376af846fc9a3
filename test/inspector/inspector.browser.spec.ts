import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ANY, CommandGateway, type InMemoryEventStore, PERSONAL_DATA_KEY } from '../../lib/index.js';
import { Add } from '../fixtures/tally.js';
import { eventually } from '../harness/eventually.js';
import { REPO_ROOT } from '../harness/sample-build.js';
import { launchChromium } from './chromium.js';
import { Gate, SLOW_PROJECTOR, startInspectorApp } from './inspector-app.js';

const TOKEN = 'open-sesame';
/** The README's picture is refreshed on request only, so a test run leaves the working tree as it was. */
const SCREENSHOT = process.env.UPDATE_SCREENSHOT ? join(REPO_ROOT, 'docs', 'inspector.png') : join(tmpdir(), `es-inspector-${process.pid}.png`);
const HOSTILE = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">';

/** The inspector page in a real headless Chromium, against a real application. */
describe('inspector page', () => {
  const gate = new Gate();
  let app: INestApplication;
  let store: InMemoryEventStore;
  let url: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;

  beforeAll(async () => {
    ({ app, store, url } = await startInspectorApp(gate, {
      guard: (context) => context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-inspector-token'] === TOKEN,
    }));
    chromium = await launchChromium({ viewport: { width: 1280, height: 520 }, extraHTTPHeaders: { 'x-inspector-token': TOKEN } });
    page = await chromium.browser.newPage();
  });
  afterAll(async () => {
    gate.open();
    await chromium?.close();
    await app?.close();
    if (!process.env.UPDATE_SCREENSHOT) await rm(SCREENSHOT, { force: true });
  });

  const lagShown = () => page.locator(`tr[data-subscription="${SLOW_PROJECTOR}"] td`).nth(2);

  it('refuses requests its guard refuses with 403, page and endpoints alike', async () => {
    for (const path of ['/_inspector', '/_inspector/inspector.js', '/_inspector/api/overview', '/_inspector/api/streams']) {
      expect((await fetch(url + path)).status).toBe(403);
    }
    expect((await fetch(url + '/_inspector/api/overview', { headers: { 'x-inspector-token': TOKEN } })).status).toBe(200);
  });

  it('answers a bad query with 400 and the reason', async () => {
    const response = await fetch(url + '/_inspector/api/streams?limit=0', { headers: { 'x-inspector-token': TOKEN } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining("'limit'") });
  });

  it('shows a subscription lagging while it is held, then caught up', async () => {
    const gateway = app.get(CommandGateway);
    for (const tally of ['a', 'b', 'c']) await gateway.dispatch(new Add(tally, 2));
    await gateway.dispatch(new Add('a', 3));
    await page.goto(url + '/_inspector');
    await eventually(async () => expect(Number(await lagShown().textContent())).toBeGreaterThan(0));
    expect(await page.locator('#head').textContent()).toBe('4');
    await page.locator('#streams a', { hasText: 'tally-a' }).click();
    await page.locator('#events tbody tr').nth(1).waitFor();
    const screenshot = await page.screenshot({ path: SCREENSHOT });
    expect(screenshot.subarray(1, 4).toString()).toBe('PNG');
    gate.open();
    await eventually(async () => expect(await lagShown().textContent()).toBe('0'), { timeout: 15_000 });
  });

  it('shows an event appended while it is open, searching streams by prefix', async () => {
    await store.appendToStream('note-1', ANY, [{ eventId: randomUUID(), eventType: 'InspectorNote', data: { text: 'hello operators' } }]);
    await page.fill('#prefix', 'note-');
    await page.click('#search button');
    await page.locator('#streams a', { hasText: 'note-1' }).click();
    await page.locator('#events pre', { hasText: 'hello operators' }).waitFor();
    expect(await page.locator('#streams tbody tr').count()).toBe(1);
  });

  it('shows a deleted stream as deleted, with its tombstone as its last event', async () => {
    await store.appendToStream('gone-1', ANY, [{ eventId: randomUUID(), eventType: 'InspectorNote', data: { text: 'forget me' } }]);
    await store.deleteStream('gone-1', { hard: true });
    await page.fill('#prefix', 'gone-');
    await page.click('#search button');
    const shown = page.locator('#streams tbody tr', { hasText: 'gone-1' });
    await shown.locator('td.deleted').waitFor();
    expect(await shown.locator('td').last().textContent()).toBe('deleted');
    await shown.locator('a').click();
    await page.locator('#events td', { hasText: '$StreamDeleted' }).waitFor();
    expect(await page.locator('#events tbody tr').count()).toBe(1);
  });

  it('shows the personal fields of a forgotten subject as forgotten, without their data', async () => {
    const metadata = { [PERSONAL_DATA_KEY]: { subject: 'member-9', fields: ['profile'] } };
    const data = { memberId: 'member-9', profile: { email: 'wilhelmina@example.test' } };
    await store.appendToStream('member-9', ANY, [{ eventId: randomUUID(), eventType: 'MemberRegistered', data, metadata }]);
    await store.subjectKeys.forget('member-9');
    await page.fill('#prefix', 'member-');
    await page.click('#search button');
    await page.locator('#streams a', { hasText: 'member-9' }).click();
    await page.locator('#events .forgotten', { hasText: 'forgotten: profile' }).waitFor();
    expect(await page.locator('#events pre').first().textContent()).toContain('"profile": "[forgotten]"');
    expect(await page.content()).not.toContain('wilhelmina@example.test');
  });

  it('shows cluster members once the store records some', async () => {
    expect(await page.locator('#cluster').isHidden()).toBe(true);
    await store.members.heartbeat({ name: 'node-b', host: '127.0.0.1', port: 4102, startedAt: Date.now() }, 5000);
    await page.locator('#members td', { hasText: '127.0.0.1:4102' }).waitFor();
    expect(await page.locator('#members tbody tr td').first().textContent()).toBe('node-b');
    await store.members.leave('node-b');
    await page.locator('#cluster').waitFor({ state: 'hidden' });
  });

  it('shows markup in event data as text and never runs it', async () => {
    await store.appendToStream('note-2', ANY, [{ eventId: randomUUID(), eventType: 'InspectorNote', data: { text: HOSTILE } }]);
    await page.fill('#prefix', 'note-2');
    await page.click('#search button');
    await page.locator('#streams a', { hasText: 'note-2' }).click();
    const shown = page.locator('#events pre', { hasText: '<script>' });
    await shown.waitFor();
    expect(await shown.textContent()).toContain(JSON.stringify(HOSTILE).slice(1, -1));
    expect(await page.locator('#events script, #events img').count()).toBe(0);
    expect(await page.evaluate(() => typeof (globalThis as { __pwned?: unknown }).__pwned)).toBe('undefined');
  });
});
