import type { BatchItem } from '../../lib/index.js';

/**
 * The tenant a page of events came from (`context.tenant`), undefined in the single-tenant bank.
 * A page comes from one tenant's store; a page naming two would write one tenant's documents
 * into the other's read model, so it is refused rather than guessed at.
 */
export function tenantOfBatch(items: BatchItem[]): string | undefined {
  const tenants = new Set(items.map((item) => item.context.tenant));
  if (tenants.size > 1)
    throw new Error(`A page of events names several tenants (${[...tenants].join(', ')}): each tenant's events are projected apart`);
  return items[0]?.context.tenant;
}
