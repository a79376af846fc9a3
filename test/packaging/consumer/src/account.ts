// One aggregate, shared by the application and its tests.
import { Aggregate, Apply, DomainEvent, Execute } from 'nestjs-event-sourcing';

export class OpenAccount {
  constructor(
    readonly accountId: string,
    readonly owner: string,
  ) {}
}

@DomainEvent('AccountOpened')
export class AccountOpened {
  constructor(
    readonly accountId: string,
    readonly owner: string,
  ) {}
}

@Aggregate({ identity: 'accountId' })
export class Account {
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
