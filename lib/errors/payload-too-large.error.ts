import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** An event or snapshot payload exceeds the configured size limit; nothing was written. */
export class PayloadTooLargeError extends EventSourcingError {
  static readonly code = 'PAYLOAD_TOO_LARGE';
  constructor(
    readonly what: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(PayloadTooLargeError.code, `${what} is ${bytes} bytes, over the limit of ${limit} bytes (option eventStore.maxPayloadBytes)`);
  }
}

/** True when `error` is a {@link PayloadTooLargeError}. */
export const isPayloadTooLarge = codeGuard<PayloadTooLargeError>(PayloadTooLargeError.code);
