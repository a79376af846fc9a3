// The embedded store chosen without its optional peer installed: the error says what to install.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventSourcingModule, isMissingDependency } from 'nestjs-event-sourcing';

@Module({ imports: [EventSourcingModule.forRoot({ eventStore: { adapter: 'embedded' } })] })
class AppModule {}

try {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  await app.init();
  await app.close();
  console.log(JSON.stringify({ started: true }));
} catch (error) {
  console.log(JSON.stringify({ missing: isMissingDependency(error), message: (error as Error).message }));
}
