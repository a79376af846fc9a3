import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import {
  DomainEvent,
  EventSourcingInspectorModule,
  type EventSourcingInspectorOptions,
  EventSourcingModule,
  InMemoryEventStore,
  On,
  Projector,
} from '../../lib/index.js';
import { Added, Tally } from '../fixtures/tally.js';

/** Free text an operator might find in an event: shown by the inspector, never run. */
@DomainEvent('InspectorNote')
export class Note {
  constructor(readonly text: string) {}
}

/** Holds every `Added` until released, so the test controls its lag. */
export class Gate {
  private opened = false;
  private waiting: (() => void)[] = [];
  pass(): Promise<void> {
    return this.opened ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }
  open(): void {
    this.opened = true;
    this.waiting.splice(0).forEach((resolve) => resolve());
  }
}

export const SLOW_PROJECTOR = 'slow-balances';
export const PARKING_PROJECTOR = 'note-index';
/** A note with this text fails its projector, which parks it. */
export const POISON = 'poison';

/** Where the application listens and whether Nest's log reaches the test's own logger. */
export interface InspectorAppOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** Keep the application's logs at errors only. @default true */
  quiet?: boolean;
}

/** An HTTP application with the inspector, a memory store and a projector held by a {@link Gate}. */
export async function startInspectorApp(gate: Gate, inspector: EventSourcingInspectorOptions, options: InspectorAppOptions = {}) {
  @Projector({ name: SLOW_PROJECTOR })
  class SlowProjector {
    @On(Added)
    async added() {
      await gate.pass();
    }
  }

  @Projector({ name: PARKING_PROJECTOR, errorPolicy: 'park' })
  class NoteIndex {
    @On(Note)
    noted(note: Note) {
      if (note.text === POISON) throw new Error('a poisoned note');
    }
  }

  const store = new InMemoryEventStore();
  @Module({
    imports: [
      EventSourcingModule.forRoot({ eventStore: store, subscriptions: { pollInterval: 50, lockRetryInterval: 50, retryDelay: 10 } }),
      EventSourcingModule.forFeature({ aggregates: [Tally] }),
      EventSourcingInspectorModule.forRoot(inspector),
    ],
    providers: [SlowProjector, NoteIndex],
  })
  class InspectorTestModule {}

  const logger = options.quiet === false ? undefined : (['error'] as const);
  const app: INestApplication = await NestFactory.create(InspectorTestModule, { logger: logger && [...logger], abortOnError: false });
  await app.listen(0, options.host ?? '127.0.0.1');
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  return { app, store, port, url: `http://127.0.0.1:${port}` };
}
