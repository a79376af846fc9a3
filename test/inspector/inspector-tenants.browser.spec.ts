import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { CommandGateway, EventSourcingInspectorModule, EventSourcingModule, Tenants } from '../../lib/index.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { Add, MIRROR, Mirror, Tally } from '../fixtures/tally.js';
import { TenantTotals } from '../fixtures/tenant-tallies.js';
import { captureLogs } from '../harness/captured-logs.js';
import { launchChromium } from './chromium.js';

const TOKEN = 'tenant-operator';
const headers = { 'x-inspector-token': TOKEN };

/** An HTTP application serving tenants acme and globex on the memory store, with the inspector and its actions. */
async function startTenantsApp() {
  @Module({
    imports: [
      EventSourcingModule.forRoot({
        eventStore: { adapter: 'memory' },
        tenants: { initial: ['acme', 'globex'], refreshInterval: 100 },
        subscriptions: { pollInterval: 50, lockRetryInterval: 50, retryDelay: 10 },
      }),
      EventSourcingModule.forFeature({ aggregates: [Tally], processManagers: [Mirror] }),
      EventSourcingInspectorModule.forRoot({
        guard: (context) => context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-inspector-token'] === TOKEN,
        actions: true,
      }),
    ],
    providers: [TenantTotals],
  })
  class InspectorTenantsModule {}
  const app: INestApplication = await NestFactory.create(InspectorTenantsModule, { abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  return { app, url: `http://127.0.0.1:${port}/_inspector` };
}

/** The inspector of an application serving tenants, in a real headless Chromium: one tenant's store at a time. */
describe('inspector of an application serving tenants', () => {
  let app: INestApplication;
  let url: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  // Every log line of the application goes here, not to the console: the test reads the actions' lines.
  const logs = captureLogs();

  beforeAll(async () => {
    ({ app, url } = await startTenantsApp());
    const gateway = app.get(CommandGateway);
    await gateway.dispatch(new Add('t1', 2), { tenant: 'acme' });
    await gateway.dispatch(new Add('t1', 5), { tenant: 'globex' });
    for (const tenant of ['acme', 'globex']) {
      const { store } = await app.get(Tenants).engine(tenant);
      await waitForHandler(store, MIRROR, await store.headPosition());
    }
    chromium = await launchChromium({ viewport: { width: 1280, height: 720 }, extraHTTPHeaders: headers });
    page = await chromium.browser.newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await app?.close();
    logs.restore();
  });

  const get = async (path: string) => {
    const response = await fetch(url + path, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("answers for the tenant ?tenant= names, the module's own store without one, and 404 for a tenant not listed", async () => {
    const own = await get('/api/overview');
    expect(own).toMatchObject({ status: 200, body: { tenants: ['acme', 'globex'], head: 2 } });
    expect(await get('/api/streams')).toMatchObject({ body: { streams: [expect.objectContaining({ streamId: '$tenants', version: 2 })] } });
    const acme = await get('/api/overview?tenant=acme');
    expect((acme.body.subscriptions as Array<{ name: string }>).map((s) => s.name).sort()).toEqual([MIRROR, 'tenant-totals']);
    expect(await get('/api/state?tenant=globex&stream=tally-t1')).toMatchObject({
      status: 200,
      body: { aggregate: 'Tally', version: 1, state: { total: 5 } },
    });
    expect(await get('/api/state?tenant=acme&stream=tally-t1')).toMatchObject({ status: 200, body: { state: { total: 2 } } });
    expect(await get('/api/overview?tenant=umbrella')).toMatchObject({ status: 404, body: { code: 'UNKNOWN_TENANT' } });
    expect(await get('/api/streams?tenant=Not-an-id')).toMatchObject({ status: 400, body: { code: 'INVALID_IDENTIFIER' } });
  });

  it("shows the chosen tenant's streams and events, and moves to another tenant from the list", async () => {
    await page.goto(url + '?tenant=acme');
    await page.locator('#streams a', { hasText: 'tally-t1' }).click();
    await page.locator('#events pre', { hasText: '"by": 2' }).waitFor();
    expect(await page.locator('#tenant').inputValue()).toBe('acme');
    expect(await page.locator('#tenant option').allTextContents()).toEqual(['(none: the tenant list)', 'acme', 'globex']);

    await page.selectOption('#tenant', 'globex');
    await page.waitForURL(/\?tenant=globex$/);
    await page.locator('#streams a', { hasText: 'tally-t1' }).click();
    await page.locator('#events pre', { hasText: '"by": 5' }).waitFor();
    expect(await page.locator('#events pre', { hasText: '"by": 2' }).count()).toBe(0);
  });

  it("operates the chosen tenant's subscriptions only, and logs whose", async () => {
    page.once('dialog', (dialog) => void dialog.accept());
    await page.goto(url + '?tenant=globex');
    await page.locator(`tr[data-subscription="${MIRROR}"] button`, { hasText: 'Pause' }).click();
    await page.locator(`tr[data-subscription="${MIRROR}"] button`, { hasText: 'Resume' }).waitFor();
    const tenants = app.get(Tenants);
    expect((await (await tenants.engine('globex')).subscriptions.readControl(MIRROR))?.paused).toBe(true);
    expect((await (await tenants.engine('acme')).subscriptions.readControl(MIRROR))?.paused).toBe(false);
    expect(logs.lines.map((line) => line.message)).toContainEqual(
      expect.stringContaining(`pause of subscription '${MIRROR}' of tenant 'globex' from`),
    );
  });
});
