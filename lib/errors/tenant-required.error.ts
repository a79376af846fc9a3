import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * The module serves tenants (`tenants` option) and a command or read named none, outside any
 * `Tenants.run`: there is no store it could go to without guessing. Nothing was read or written.
 */
export class TenantRequiredError extends EventSourcingError {
  static readonly code = 'TENANT_REQUIRED';
  constructor(
    /** What needed the tenant, e.g. `dispatch of OpenAccount`. */
    readonly operation: string,
  ) {
    super(
      TenantRequiredError.code,
      `${operation} needs a tenant: pass { tenant: '<id>' }, or make the call within Tenants.run('<id>', ...) (every store of this module belongs to one tenant)`,
    );
  }
}

/** True when `error` is a {@link TenantRequiredError}. */
export const isTenantRequired = codeGuard<TenantRequiredError>(TenantRequiredError.code);
