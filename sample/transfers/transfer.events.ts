import { DomainEvent } from '../../lib/index.js';

@DomainEvent('TransferRequested')
export class TransferRequested {
  constructor(
    readonly transferId: string,
    readonly from: string,
    readonly to: string,
    readonly amount: number,
  ) {}
}

@DomainEvent('TransferCompleted')
export class TransferCompleted {
  constructor(readonly transferId: string) {}
}

@DomainEvent('TransferFailed')
export class TransferFailed {
  constructor(
    readonly transferId: string,
    readonly reason: string,
  ) {}
}

/** A transfer refused before any money moved (an account is not open); recorded on the transfer only. */
@DomainEvent('TransferRefused')
export class TransferRefused {
  constructor(
    readonly transferId: string,
    readonly from: string,
    readonly to: string,
    readonly amount: number,
    readonly reason: string,
  ) {}
}
