// A new user's first application: the memory store, one aggregate, one command read back.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AggregateReader, CommandGateway, EventSourcingModule } from 'nestjs-event-sourcing';
import { Account, OpenAccount } from './account.js';

@Module({
  imports: [EventSourcingModule.forRoot({ eventStore: { adapter: 'memory' } }), EventSourcingModule.forFeature({ aggregates: [Account] })],
})
class AppModule {}

const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
const version = await app.get(CommandGateway).dispatch<number>(new OpenAccount('a-1', 'ada'), { returning: 'aggregateVersion' });
const { state } = await app.get(AggregateReader).load(Account, 'a-1');
await app.close();
console.log(JSON.stringify({ version, owner: state.owner }));
