import { DomainEvent, type FORGOTTEN } from '../../lib/index.js';
import type { AccountHolder } from './account.commands.js';

/**
 * `holder` is personal data of the account's holder, whose subject id is the account id: the store
 * keeps it encrypted, and once `DELETE /accounts/:id/holder` forgets it, it reads as '[forgotten]'.
 */
@DomainEvent('AccountOpened', { personal: { subject: 'accountId', fields: ['holder'] } })
export class AccountOpened {
  constructor(
    readonly accountId: string,
    readonly initialBalance: number,
    readonly holder?: AccountHolder | typeof FORGOTTEN,
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
