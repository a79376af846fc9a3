import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/**
 * A command or read named a tenant that is not listed (never added with `Tenants.add`, or removed
 * since), or, inside a tenant's engine, a tenant other than its own. Nothing was read or written,
 * and no schema was created.
 */
export class UnknownTenantError extends EventSourcingError {
  static readonly code = 'UNKNOWN_TENANT';
  constructor(
    readonly tenant: string,
    /** Why it cannot be served here. */
    readonly reason: string = 'no such tenant is listed: add it with Tenants.add first',
  ) {
    super(UnknownTenantError.code, `Tenant '${tenant}': ${reason}`);
  }
}

/** True when `error` is an {@link UnknownTenantError}. */
export const isUnknownTenant = codeGuard<UnknownTenantError>(UnknownTenantError.code);
