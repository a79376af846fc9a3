import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

/**
 * The tenant of the work running now, set by `Tenants.run`: the tenant of a command, read or
 * forget that names none. Kept in async-local storage, so it follows the work through every await
 * and callback the work starts, `CommandBus.execute` of @nestjs/cqrs included (it takes no
 * options), and ends with it.
 */
export const TenantScope = {
  run<T>(tenant: string, work: () => T): T {
    return scope.run(tenant, work);
  },

  /** The tenant of the innermost `run` around the caller, or undefined outside any. */
  current(): string | undefined {
    return scope.getStore();
  },
};
