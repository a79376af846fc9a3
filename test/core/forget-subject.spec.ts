import { inspect } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import {
  CommandGateway,
  DataSubjects,
  EventSourcingModule,
  EventStore,
  FORGOTTEN,
  InMemoryEventStore,
  SubscriptionManager,
} from '../../lib/index.js';
import { bootError } from '../fixtures/boot-error.js';
import { dumpOf } from '../fixtures/store-dump.js';
import { waitForHandler } from '../../lib/testing/wait-for-handler.js';
import { createApp } from '../fixtures/create-app.js';
import { Member, MemberDirectory, Register, WelcomeBonus } from '../fixtures/members.js';
import { SHARED_STORES, type SharedStore } from '../fixtures/shared-stores.js';
import { eventually } from '../harness/eventually.js';
import { captureLogs } from '../harness/captured-logs.js';
import { TelemetryChannels } from '../../lib/telemetry/telemetry-channels.js';

const profileOf = (id: string) => ({ name: `Quillon Marchetti-${id}`, email: `quillon.${id}@example.test` });

/** Every log line and every message of the library's telemetry channels, as text, until `stop()`. */
function listenToLogsAndTraces(): { stop(): string } {
  const logs = captureLogs();
  const heard: string[] = [];
  const handlers = Object.fromEntries(
    (['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const).map((phase) => [
      phase,
      (message: object) => heard.push(inspect(message, { depth: 8 })),
    ]),
  );
  const channels = (['command', 'execute', 'append', 'handler'] as const).map((name) => TelemetryChannels[name]);
  channels.forEach((channel) => channel.subscribe(handlers as never));
  return {
    stop() {
      channels.forEach((channel) => channel.unsubscribe(handlers as never));
      logs.restore();
      return [...heard, ...logs.lines.map((line) => line.message)].join('\n');
    },
  };
}

describe.each(SHARED_STORES)('forgetting people on the %s store', (name, open) => {
  let shared: SharedStore;
  let store: EventStore;
  let app: INestApplication;

  beforeEach(async () => {
    shared = await open();
    store = await shared.open();
    app = await createApp({ options: { eventStore: store }, aggregates: [Member], processManagers: [WelcomeBonus], providers: [MemberDirectory] });
  });
  afterEach(async () => {
    await app?.close();
    await shared?.close();
  });

  it('forgets while the projector and the process manager are busy, losing and duplicating nothing; a rebuild and the stored data hold no forgotten data, and no key reaches a log or a trace', async () => {
    const gateway = app.get(CommandGateway);
    const subjects = app.get(DataSubjects);
    const directory = app.get(MemberDirectory);
    const ids = Array.from({ length: 16 }, (_, i) => `m${i}`);
    const forgotten = new Set(ids.filter((_, i) => i % 2 === 0));

    const heard = listenToLogsAndTraces();
    const register = (some: string[]) => some.map((id) => gateway.dispatch(new Register(id, profileOf(id))).then(() => undefined));
    // Half registered first; then forgets of registered and of not yet registered members, with the
    // other half's registrations, while the welcome bonus and the directory work on all of them.
    await Promise.all(register(ids.slice(0, 8)));
    const forgets = await Promise.all([...register(ids.slice(8)), ...[...forgotten].map((id) => subjects.forget(id))]);
    expect(forgets.filter(Boolean)).toHaveLength(forgotten.size);

    await eventually(async () => expect(await Promise.all(ids.map((id) => store.streamVersion(`member-${id}`)))).toEqual(ids.map(() => 2)));
    const head = await store.headPosition();
    await waitForHandler(store, 'member-directory', head);
    await waitForHandler(store, 'welcome-bonus', head);

    const expectDirectory = () => {
      for (const id of ids) {
        expect(directory.members.get(id)).toEqual({ profile: forgotten.has(id) ? FORGOTTEN : profileOf(id), credits: 10 });
      }
      // Each member's two events and each forget's event, delivered once each.
      expect(directory.deliveries.size).toBe(ids.length * 2 + forgotten.size);
      expect([...directory.deliveries.values()].every((count) => count === 1)).toBe(true);
    };
    expectDirectory();
    for (const id of ids) {
      const events = await store.readStream(`member-${id}`);
      expect(events.map((e) => e.eventType)).toEqual(['MemberRegistered', 'MemberCredited']);
      expect(events[0].data.profile).toEqual(forgotten.has(id) ? FORGOTTEN : profileOf(id));
    }

    // A repeat records nothing more.
    const again = await subjects.forget('m0');
    expect(again.keyDestroyed).toBe(false);
    expect(await store.readStream('$subject-m0')).toHaveLength(1);
    expect(await store.headPosition()).toBe(head);

    await app.get(SubscriptionManager).reset('member-directory');
    await eventually(() => {
      expect(directory.resets).toBe(1);
      expectDirectory();
    });

    // No key in a log line or a telemetry message: those of the members not forgotten are still there to look for.
    const heardText = heard.stop();
    expect(heardText.length).toBeGreaterThan(0);
    const keys = [...(await store.subjectKeys!.keysFor(ids, false)).values()].filter((key): key is Buffer => key !== null);
    expect(keys).toHaveLength(ids.length - forgotten.size);
    for (const key of keys) for (const text of [key.toString('base64'), key.toString('hex')]) expect(heardText).not.toContain(text);

    const dump = await dumpOf(store, shared.schema, name.startsWith('postgres'));
    expect(dump).toContain('m15');
    for (const id of ids) {
      expect(dump).not.toContain(profileOf(id).name);
      expect(dump).not.toContain(profileOf(id).email);
    }
  });
});

describe('DataSubjects.forget input', () => {
  it('refuses a bad subject id or timeout with a typed error before anything changes', async () => {
    const app = await createApp({ aggregates: [Member], providers: [MemberDirectory] });
    try {
      const subjects = app.get(DataSubjects);
      const store = app.get<EventStore>(EventStore);
      await expect(subjects.forget('')).rejects.toMatchObject({ code: 'INVALID_IDENTIFIER' });
      await expect(subjects.forget('x'.repeat(495))).rejects.toMatchObject({
        code: 'INVALID_IDENTIFIER',
        message: expect.stringContaining('subject stream id'),
      });
      await expect(subjects.forget('m1', { timeout: -1 })).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining("'timeout'"),
      });
      expect(await subjects.isForgotten('m1')).toBe(false);
      expect(await store.headPosition()).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('refuses to start when events declare personal data and the store has no subject keys', async () => {
    const store = new InMemoryEventStore();
    const withoutKeys = new Proxy(store, { get: (target, key) => (key === 'subjectKeys' ? undefined : Reflect.get(target, key, target)) });
    const error = await bootError([
      EventSourcingModule.forRoot({ eventStore: withoutKeys }),
      EventSourcingModule.forFeature({ aggregates: [Member] }),
    ]);
    expect(error).toMatchObject({ code: 'CONFIGURATION_ERROR', message: expect.stringContaining('no subject keys') });
  });
});
