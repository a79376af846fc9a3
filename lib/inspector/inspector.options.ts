import type { CanActivate, ExecutionContext, Type } from '@nestjs/common';
import { InvalidOptionsError } from '../errors/invalid-options.error.js';

/** Decides whether a request may see the inspector; refusing answers 403. */
export type InspectorGuardFunction = (context: ExecutionContext) => boolean | Promise<boolean>;

/** Options of `EventSourcingInspectorModule.forRoot`. */
export interface EventSourcingInspectorOptions {
  /** Where the page is served; its JSON endpoints live under `<path>/api`. @default '/_inspector' */
  path?: string;
  /**
   * Protects the page and its endpoints: a guard class (resolved by Nest, so it may inject what it
   * needs) or a function. The inspector shows event data, so protect it outside development.
   * @default undefined (no guard)
   */
  guard?: Type<CanActivate> | InspectorGuardFunction;
  /**
   * Lets the page pause, resume and reset subscriptions and retry or discard their parked events
   * (each confirmed in the page and logged). Needs a `guard`: it decides who may act.
   * @default false
   */
  actions?: boolean;
}

/** The options checked, with their defaults. */
export interface ResolvedInspectorOptions {
  path: string;
  actions: boolean;
}

/** Path used when the options name none. */
export const DEFAULT_INSPECTOR_PATH = '/_inspector';

const PATH_PATTERN = /^(\/[A-Za-z0-9._~-]+)+$/;

/** Checks the options, naming each problem; returns the path to serve and whether actions are on. */
export function resolveInspectorOptions(options: EventSourcingInspectorOptions = {}): ResolvedInspectorOptions {
  const problems: string[] = [];
  const path = options.path ?? DEFAULT_INSPECTOR_PATH;
  if (typeof path !== 'string' || !PATH_PATTERN.test(path)) {
    problems.push(`'path' must be a URL path like '/_inspector' (segments of letters, digits, '.', '_', '~', '-'), got ${JSON.stringify(path)}`);
  }
  if (options.guard !== undefined && typeof options.guard !== 'function') {
    problems.push(`'guard' must be a guard class or a function (context) => boolean, got ${typeof options.guard}`);
  }
  if (options.actions !== undefined && typeof options.actions !== 'boolean')
    problems.push(`'actions' must be true or false, got ${JSON.stringify(options.actions)}`);
  if (options.actions === true && options.guard === undefined) {
    problems.push(`'actions' needs a 'guard' deciding who may pause, reset or discard: give a guard class or a function (context) => boolean`);
  }
  if (problems.length) throw new InvalidOptionsError(problems.map((p) => `inspector ${p}`));
  return { path, actions: options.actions === true };
}
