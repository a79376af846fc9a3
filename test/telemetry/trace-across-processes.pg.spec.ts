import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { CommandGateway, PostgresEventStore, TelemetryAttributes as A } from '../../lib/index.js';
import { killChild, trackChild } from '../harness/child-registry.js';
import { eventually } from '../harness/eventually.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';
import { ensureSampleBuilt } from '../harness/sample-build.js';
import { Counter, Increment } from '../fixtures/counter.js';
import { createApp } from '../fixtures/create-app.js';
import { installOpenTelemetry } from './open-telemetry-sdk.js';

const PROCESS = join(import.meta.dirname, 'fixtures', 'traced-handler-process.mjs');

interface PrintedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

const sdk = installOpenTelemetry();

describe('a trace continued by a handler in another process, through the event metadata in PostgreSQL', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;
  let app: INestApplication;
  beforeAll(async () => {
    await ensureSampleBuilt();
    schema = await testSchema();
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name });
    app = await createApp({ aggregates: [Counter], options: { eventStore: store, nodeName: 'writer' } });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await schema?.drop();
    await sdk.uninstall();
  });

  it('makes the other process’s handle span a child of the append that stored the event', async () => {
    const id = `c-${randomUUID()}`;
    await app.get(CommandGateway).dispatch(new Increment(id, 5));
    const append = sdk.spans().find((span) => span.name === 'append Counter')!;

    const child = trackChild(
      spawn(process.execPath, [PROCESS, TEST_DATABASE_URL, schema.name, `traced-${randomUUID()}`], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    const printed: PrintedSpan[] = [];
    const errors: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((line) => printed.push(JSON.parse(line) as PrintedSpan)),
    );
    child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    try {
      const handled = await eventually(
        () => {
          const found = printed.find((span) => span.name === 'handle Incremented' && span.attributes[A.streamId] === `counter-${id}`);
          expect({ found: !!found, errors }).toEqual({ found: true, errors: [] });
          return found!;
        },
        { timeout: 20_000 },
      );
      expect(handled.traceId).toBe(append.spanContext().traceId);
      expect(handled.parentSpanId).toBe(append.spanContext().spanId);
      expect(handled.attributes[A.node]).toBe(`child-${child.pid}`);
    } finally {
      await killChild(child, 'SIGTERM');
    }
  });
});
