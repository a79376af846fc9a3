import { optionalHolder, positiveAmount, requiredId } from '../http/validation.js';

/** Who holds an account: personal data, stored encrypted and forgettable (see AccountOpened). */
export interface AccountHolder {
  name: string;
  email: string;
}

export class OpenAccount {
  constructor(
    readonly accountId: string,
    readonly initialBalance: number,
    readonly holder?: AccountHolder,
  ) {}

  validate(): string[] {
    return [
      ...requiredId('accountId', this.accountId),
      ...positiveAmount('initialBalance', this.initialBalance, { allowZero: true }),
      ...optionalHolder('holder', this.holder),
    ];
  }
}

/** Moves an amount in or out of an account, on its own or as a step of a transfer. */
abstract class MoneyCommand {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly transferId?: string,
  ) {}

  validate(): string[] {
    return [...requiredId('accountId', this.accountId), ...positiveAmount('amount', this.amount)];
  }
}

export class DepositMoney extends MoneyCommand {}

export class WithdrawMoney extends MoneyCommand {}

export class RefundMoney {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly transferId: string,
  ) {}
}
