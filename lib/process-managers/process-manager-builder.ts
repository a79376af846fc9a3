import type { Type } from '@nestjs/common';
import { OPTIONAL_DEPS_METADATA, PARAMTYPES_METADATA, SELF_DECLARED_DEPS_METADATA } from '@nestjs/common/constants.js';
import { ConfigurationError } from '../errors/configuration.error.js';

/** Finds a provider by token anywhere in the application (Nest's `ModuleRef.get` with `strict: false`). */
export type ProviderLookup = (token: unknown) => unknown;

/**
 * Builds the instances of one process-manager class, one per process id, each with the
 * constructor's dependencies (resolved once, from the application's providers), and tells an
 * instance's state from them: the state is the instance's own enumerable properties, except those
 * the constructor set to an injected object (a service, a config object). Those are never
 * persisted, and a saved state never overwrites them.
 */
export class ProcessManagerBuilder {
  private readonly injected: Set<string>;

  constructor(
    private readonly type: Type,
    private readonly dependencies: unknown[] = [],
  ) {
    const probe = new type(...dependencies) as Record<string, unknown>;
    const objects: unknown[] = dependencies.filter((d) => (typeof d === 'object' && d !== null) || typeof d === 'function');
    this.injected = new Set(Object.keys(probe).filter((key) => objects.includes(probe[key])));
  }

  /** Resolves the constructor's parameters like Nest does: `@Inject` tokens, else the parameter types; `@Optional` may be missing. */
  static resolve(type: Type, lookup: ProviderLookup): ProcessManagerBuilder {
    const types = (Reflect.getMetadata(PARAMTYPES_METADATA, type) ?? []) as unknown[];
    const declared = (Reflect.getMetadata(SELF_DECLARED_DEPS_METADATA, type) ?? []) as Array<{ index: number; param: unknown }>;
    const optional = (Reflect.getMetadata(OPTIONAL_DEPS_METADATA, type) ?? []) as number[];
    const dependencies = types.map((paramType, index) => {
      const token = unwrapped(declared.find((d) => d.index === index)?.param ?? paramType);
      try {
        return lookup(token);
      } catch (error) {
        if (optional.includes(index)) return undefined;
        throw new ConfigurationError(
          `Process manager ${type.name} cannot get constructor parameter #${index} (${nameOf(token)}): ${(error as Error).message}. Register it as a provider of the application`,
        );
      }
    });
    return new ProcessManagerBuilder(type, dependencies);
  }

  /** A new instance, with `state` (a saved state) restored onto it. */
  create(state?: Record<string, unknown>): Record<string | symbol, unknown> {
    const instance = new this.type(...this.dependencies) as Record<string, unknown>;
    for (const [key, value] of Object.entries(state ?? {})) if (!this.injected.has(key)) instance[key] = value;
    return instance;
  }

  /** What is persisted of `instance`: its own enumerable properties but the injected ones. */
  stateOf(instance: object): Record<string, unknown> {
    const state: Record<string, unknown> = { ...instance };
    for (const key of this.injected) delete state[key];
    return state;
  }
}

/** The class a `forwardRef(() => X)` stands for. */
function unwrapped(token: unknown): unknown {
  return token && typeof token === 'object' && 'forwardRef' in token ? (token as { forwardRef: () => unknown }).forwardRef() : token;
}

function nameOf(token: unknown): string {
  return typeof token === 'function' ? token.name : String(token);
}
