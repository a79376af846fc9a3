import { positiveAmount, requiredId } from '../http/validation.js';

export class RequestTransfer {
  constructor(
    readonly transferId: string,
    readonly from: string,
    readonly to: string,
    readonly amount: number,
    /** Why the transfer cannot start (an account is not open), found by whoever sends the command. */
    readonly refusal?: string,
  ) {}

  validate(): string[] {
    return [
      ...requiredId('transferId', this.transferId),
      ...requiredId('from', this.from),
      ...requiredId('to', this.to),
      ...positiveAmount('amount', this.amount),
      ...(this.from === this.to ? [`'from' and 'to' must differ`] : []),
    ];
  }
}

export class CompleteTransfer {
  constructor(readonly transferId: string) {}
}

export class FailTransfer {
  constructor(
    readonly transferId: string,
    readonly reason: string,
  ) {}
}
