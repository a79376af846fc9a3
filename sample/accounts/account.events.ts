import { DomainEvent } from '../../lib/index.js';

@DomainEvent('AccountOpened')
export class AccountOpened {
  constructor(
    readonly accountId: string,
    readonly initialBalance: number,
  ) {}
}

@DomainEvent('MoneyDeposited')
export class MoneyDeposited {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly balance: number,
    readonly transferId?: string,
  ) {}
}

@DomainEvent('MoneyWithdrawn')
export class MoneyWithdrawn {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly balance: number,
    readonly transferId?: string,
  ) {}
}

/** A transfer asked for more than the balance; the account records the refusal. */
@DomainEvent('WithdrawalRefused')
export class WithdrawalRefused {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly transferId: string,
    readonly reason: string,
  ) {}
}

/** A transfer's deposit could not land (the account is not open). */
@DomainEvent('DepositRefused')
export class DepositRefused {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly transferId: string,
    readonly reason: string,
  ) {}
}

/** Money given back to the source account of a failed transfer. */
@DomainEvent('MoneyRefunded')
export class MoneyRefunded {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly balance: number,
    readonly transferId: string,
  ) {}
}
