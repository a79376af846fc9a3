import type { AggregateManager } from '../aggregates/aggregate-manager.js';
import type { CommandRouter } from '../commands/command-router.js';
import { InvalidOptionsError } from '../errors/invalid-options.error.js';
import type { ResolvedOptions } from '../resolve-options.js';
import { LocalRegistry } from './local-registry.js';
import type { Registry } from './registry.interface.js';

/** Builds the registry named by the options. */
export function createRegistry(options: ResolvedOptions, router: CommandRouter, aggregates: AggregateManager): Registry {
  if (options.registry === 'local') return new LocalRegistry(router, aggregates);
  throw new InvalidOptionsError([`'registry' 'global' (cluster mode) is not available in this version; use 'local'`]);
}
