import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type { Page } from 'playwright-core';
import { ANY, type InMemoryEventStore } from '../../lib/index.js';
import { isLoopbackAddress } from '../../lib/inspector/loopback-only.guard.js';
import { captureLogs } from '../harness/captured-logs.js';
import { launchChromium } from './chromium.js';
import { eventually } from '../harness/eventually.js';
import { Gate, PARKING_PROJECTOR, POISON, SLOW_PROJECTOR, startInspectorApp } from './inspector-app.js';

const TOKEN = 'let-me-act';
const tokenGuard = (context: { switchToHttp(): { getRequest<T>(): T } }) =>
  context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-inspector-token'] === TOKEN;

const note = (text: string) => ({ eventId: randomUUID(), eventType: 'InspectorNote', data: { text } });
const post = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-inspector-action': '1', ...headers }, body: '{}' });

/** A non-loopback address of this machine, when it has one: a request to it comes from it. */
const externalAddress = (): string | undefined =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('inspector without a guard', () => {
  const gate = new Gate();
  let app: INestApplication;
  let store: InMemoryEventStore;
  let url: string;
  let port: number;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    logs = captureLogs();
    ({ app, store, url, port } = await startInspectorApp(gate, {}, { host: '0.0.0.0', quiet: false }));
  });
  afterAll(async () => {
    gate.open();
    await app?.close();
    logs.restore();
  });

  it('says at boot that it answers loopback requests only', () => {
    expect(
      logs.lines.some((l) => l.level === 'warn' && /Inspector at \/_inspector has no guard: it answers loopback requests only/.test(l.message)),
    ).toBe(true);
  });

  it('answers loopback requests and refuses others', async () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.0.0.2'].every(isLoopbackAddress)).toBe(true);
    expect(['192.0.2.2', '::ffff:192.0.2.2', '10.0.0.1', 'fd00::2', '', undefined].some(isLoopbackAddress)).toBe(false);
    expect((await fetch(`${url}/_inspector/api/overview`)).status).toBe(200);
    const external = externalAddress();
    if (external) {
      const refused = await fetch(`http://${external}:${port}/_inspector/api/overview`);
      expect(refused.status).toBe(403);
      expect(await refused.text()).not.toContain(SLOW_PROJECTOR);
    }
  });

  it('refuses actions, even from loopback, and changes nothing', async () => {
    const response = await post(`${url}/_inspector/api/subscriptions/${SLOW_PROJECTOR}/pause`);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toContain('actions are off');
    expect((await store.control.readControl(SLOW_PROJECTOR))?.paused).toBe(false);
  });
});

describe('inspector actions with a guard, in Chromium', () => {
  const gate = new Gate();
  let app: INestApplication;
  let store: InMemoryEventStore;
  let url: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  let logs: ReturnType<typeof captureLogs>;
  const confirmations: string[] = [];

  beforeAll(async () => {
    logs = captureLogs();
    ({ app, store, url } = await startInspectorApp(gate, { guard: tokenGuard, actions: true }, { quiet: false }));
    chromium = await launchChromium({ extraHTTPHeaders: { 'x-inspector-token': TOKEN } });
    page = await chromium.browser.newPage();
    page.on('dialog', (dialog) => {
      confirmations.push(dialog.message());
      void (dialog.type() === 'prompt' ? dialog.accept('origin') : dialog.accept());
    });
  });
  afterAll(async () => {
    gate.open();
    await chromium?.close();
    await app?.close();
    logs.restore();
  });

  const row = (name: string) => page.locator(`tr[data-subscription="${name}"]`);
  const said = (pattern: RegExp) => logs.lines.filter((l) => l.context === 'EventSourcingInspector' && pattern.test(l.message));

  it('opens a stream and an event from a link, with the event metadata', async () => {
    const [first] = (await store.appendToStream('note-linked', ANY, [{ ...note('linked'), metadata: { userId: 'u-7' }, correlationId: 'corr-42' }]))
      .events;
    await page.goto(`${url}/_inspector#/streams/note-linked/1`);
    const details = page.locator('#event-details');
    await details.locator('pre', { hasText: 'u-7' }).waitFor();
    expect(await details.textContent()).toContain('corr-42');
    expect(await details.textContent()).toContain(first.eventId);
    expect(await page.locator('#stream-title').textContent()).toBe('note-linked');
    const link = page.locator('#events a', { hasText: '1' }).first();
    expect(await link.getAttribute('href')).toBe('#/streams/note-linked/1');
    await page.locator('#streams a', { hasText: 'note-linked' }).waitFor();
    expect(await page.locator('#streams a', { hasText: 'note-linked' }).getAttribute('href')).toBe('#/streams/note-linked');
  });

  it('refuses an action its guard refuses, and one not sent by the page', async () => {
    expect((await post(`${url}/_inspector/api/subscriptions/${SLOW_PROJECTOR}/pause`)).status).toBe(403);
    const plain = await fetch(`${url}/_inspector/api/subscriptions/${SLOW_PROJECTOR}/pause`, {
      method: 'POST',
      headers: { 'x-inspector-token': TOKEN },
    });
    expect(plain.status).toBe(403);
    expect((await store.control.readControl(SLOW_PROJECTOR))?.paused).toBe(false);
  });

  it('pauses and resumes a subscription from the page, each confirmed and logged', async () => {
    await page.goto(`${url}/_inspector`);
    await row(SLOW_PROJECTOR).locator('button', { hasText: 'Pause' }).click();
    await eventually(async () => expect((await store.control.readControl(SLOW_PROJECTOR))?.paused).toBe(true));
    expect(confirmations.at(-1)).toContain(`Pause subscription '${SLOW_PROJECTOR}'`);
    expect(said(new RegExp(`pause of subscription '${SLOW_PROJECTOR}' from 127\\.0\\.0\\.1`))).toHaveLength(1);
    await row(SLOW_PROJECTOR).locator('button', { hasText: 'Resume' }).click();
    await eventually(async () => expect((await store.control.readControl(SLOW_PROJECTOR))?.paused).toBe(false));
    expect(said(new RegExp(`resume of subscription '${SLOW_PROJECTOR}'`))).toHaveLength(1);
  });

  it('resets a subscription from the page', async () => {
    const before = (await store.control.readControl(SLOW_PROJECTOR))!.epoch;
    await row(SLOW_PROJECTOR).locator('button', { hasText: 'Reset' }).click();
    await eventually(async () => expect((await store.control.readControl(SLOW_PROJECTOR))!.epoch).toBeGreaterThan(before));
    expect(said(new RegExp(`reset of subscription '${SLOW_PROJECTOR}' to origin`))).toHaveLength(1);
  });

  it('retries and discards parked events from the page', async () => {
    await store.appendToStream('note-poison', ANY, [note(POISON), note(POISON)]);
    await eventually(async () => expect(await store.parkedEvents.count(PARKING_PROJECTOR)).toBe(2));
    await eventually(async () => expect(await row(PARKING_PROJECTOR).locator('.parked').textContent()).toBe('2'));
    await row(PARKING_PROJECTOR).locator('button', { hasText: 'Retry parked' }).click();
    await eventually(() =>
      expect(said(new RegExp(`retry of the parked events of subscription '${PARKING_PROJECTOR}' from \\S+: 2 marked`))).toHaveLength(1),
    );
    // Poisoned still: the retried events fail again and stay parked, with one more attempt each.
    await eventually(async () => {
      const parked = await store.parkedEvents.list(PARKING_PROJECTOR);
      expect(parked.map((p) => p.retryRequested)).toEqual([false, false]);
    });
    await row(PARKING_PROJECTOR).locator('button', { hasText: 'Discard parked' }).click();
    await eventually(async () => expect(await store.parkedEvents.count(PARKING_PROJECTOR)).toBe(0));
    expect(confirmations.at(-1)).toContain(`Discard the parked events of '${PARKING_PROJECTOR}'`);
    expect(said(new RegExp(`discard of the parked events of subscription '${PARKING_PROJECTOR}' from \\S+: 2 discarded`))).toHaveLength(1);
  });
});
