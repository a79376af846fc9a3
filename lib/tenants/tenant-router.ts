import type { Type } from '@nestjs/common';
import { UnknownTenantError } from '../errors/unknown-tenant.error.js';

/** One tenant's engine as the module's own classes see it: its providers, by class or token. */
export interface TenantHandle {
  readonly tenant: string;
  get<T>(type: Type<T> | symbol): T;
}

/**
 * Where the module's entry points (`CommandGateway`, `AggregateReader`) send a call that names a
 * tenant. An interface of its own so that those classes need not import the tenants' engines.
 */
export interface TenantRouter {
  /** True when the module serves tenants: every call must then name one. */
  readonly enabled: boolean;
  /**
   * The engine of `tenant` (when undefined, the tenant of the `Tenants.run` around the call),
   * started on first use. Throws `TenantRequiredError` when there is neither,
   * `InvalidIdentifierError` for a malformed id and `UnknownTenantError` for one not listed.
   */
  engine(tenant: string | undefined, operation: string): Promise<TenantHandle>;
  /** Runs `work` as `tenant`'s: what it does in this process without naming a tenant is that tenant's. */
  run<T>(tenant: string, work: () => T): T;
  /** The engines started on this node so far, for health checks and status pages. */
  started(): TenantHandle[];
  /** Why each tenant whose engine failed to start on this node did, until a later try starts it. */
  failures(): Record<string, string>;
}

/** Injection token of the {@link TenantRouter}. */
export const TenantRouter = Symbol('TenantRouter');

/** Injection token of the tenant a module instance serves, in a tenant's engine only. */
export const OWN_TENANT = Symbol('OwnTenant');

/** Injection token of where a tenant's engine finds the application's providers: the application's `DiscoveryService`. */
export const PROVIDER_SOURCE = Symbol('ProviderSource');

/**
 * Refuses a call that names a tenant other than `own`, the one the engine serves (undefined
 * outside tenants' engines): no command or read crosses tenants. Naming none means `own`.
 */
export function assertOwnTenant(own: string | undefined, named: string | undefined, what: string, entry: string): void {
  if (named === undefined || named === own) return;
  throw new UnknownTenantError(
    named,
    own === undefined
      ? "this module serves no tenants: set the 'tenants' option"
      : `this is tenant '${own}'s engine, and a ${what} cannot cross tenants: go through the ${entry} you inject, naming that tenant`,
  );
}
