// A new user's first application: the memory store, one aggregate, one command read back.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Aggregate, AggregateReader, Apply, CommandGateway, DomainEvent, EventSourcingModule, Execute } from 'nestjs-event-sourcing';

class OpenAccount {
  constructor(
    readonly accountId: string,
    readonly owner: string,
  ) {}
}

@DomainEvent('AccountOpened')
class AccountOpened {
  constructor(
    readonly accountId: string,
    readonly owner: string,
  ) {}
}

@Aggregate({ identity: 'accountId' })
class Account {
  owner = '';

  @Execute(OpenAccount)
  open(command: OpenAccount) {
    return new AccountOpened(command.accountId, command.owner);
  }

  @Apply(AccountOpened)
  opened(event: AccountOpened) {
    this.owner = event.owner;
  }
}

@Module({
  imports: [EventSourcingModule.forRoot({ eventStore: { adapter: 'memory' } }), EventSourcingModule.forFeature({ aggregates: [Account] })],
})
class AppModule {}

const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
const version = await app.get(CommandGateway).dispatch<number>(new OpenAccount('a-1', 'ada'), { returning: 'aggregateVersion' });
const { state } = await app.get(AggregateReader).load(Account, 'a-1');
await app.close();
console.log(JSON.stringify({ version, owner: state.owner }));
