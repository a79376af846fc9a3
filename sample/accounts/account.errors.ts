import { DomainError } from '../../lib/index.js';

export class AccountNotOpenError extends DomainError {
  constructor(accountId: string) {
    super(`Account '${accountId}' is not open`, 'ACCOUNT_NOT_OPEN');
  }
}

export class AccountAlreadyOpenError extends DomainError {
  constructor(accountId: string) {
    super(`Account '${accountId}' is already open`, 'ACCOUNT_ALREADY_OPEN');
  }
}

export class InsufficientFundsError extends DomainError {
  constructor(accountId: string, balance: number, amount: number) {
    super(`Account '${accountId}' has ${balance}, cannot withdraw ${amount}`, 'INSUFFICIENT_FUNDS');
  }
}

/** Balances are JSON numbers: a result past 2^53 - 1 would be stored rounded, so it is refused. */
export class AmountNotRepresentableError extends DomainError {
  constructor(accountId: string, balance: number, amount: number) {
    super(`Account '${accountId}' has ${balance}; adding ${amount} cannot be represented exactly`, 'AMOUNT_NOT_REPRESENTABLE');
  }
}
