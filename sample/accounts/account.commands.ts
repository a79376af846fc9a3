import { positiveAmount, requiredId } from '../http/validation.js';

export class OpenAccount {
  constructor(
    readonly accountId: string,
    readonly initialBalance: number,
  ) {}

  validate(): string[] {
    return [...requiredId('accountId', this.accountId), ...positiveAmount('initialBalance', this.initialBalance, { allowZero: true })];
  }
}

export class DepositMoney {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly transferId?: string,
  ) {}

  validate(): string[] {
    return positiveAmount('amount', this.amount);
  }
}

export class WithdrawMoney {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly transferId?: string,
  ) {}

  validate(): string[] {
    return positiveAmount('amount', this.amount);
  }
}

export class RefundMoney {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly transferId: string,
  ) {}
}
