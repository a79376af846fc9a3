import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EventSourcingShutdown, isEventSourcingError } from '../lib/index.js';
import { AppModule } from './app.module.js';
import { loadConfig } from './config.js';
import { HttpDrain } from './http/http-drain.js';

/** Starts the bank; prints `listening on <port>` when ready and stops cleanly on SIGTERM. */
async function main() {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), { logger: ['error', 'warn', 'log'] });
  // Every ETag this API sends is a stream version (see entity-tags.ts), never Express's hash of a body.
  app.set('etag', false);
  const drain = new HttpDrain();
  drain.install(app);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // While HTTP answers what is in flight and closes its connections, the node refuses new
      // commands and hands its subscriptions and aggregates to the other nodes; then the store
      // closes. A command acknowledged before the stop is committed, and nothing new is taken.
      Promise.all([drain.drain(app.getHttpServer()), app.get(EventSourcingShutdown).begin()])
        .then(() => app.close())
        .then(
          () => (console.log('stopped'), process.exit(0)),
          (error) => (new Logger('Bank').error(error), process.exit(1)),
        );
    });
  }
  await app.listen(config.port, '127.0.0.1');
  const address = app.getHttpServer().address();
  console.log(`listening on ${typeof address === 'object' && address ? address.port : config.port}`);
}

main().catch((error: unknown) => {
  // The library's errors say what is wrong and what to type; a stack trace would bury that.
  const shown = isEventSourcingError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : error;
  new Logger('Bank').error(shown);
  process.exit(1);
});
