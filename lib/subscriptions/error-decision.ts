import type { ErrorPolicy } from '../decorators/subscription-options.js';

/** What a subscription does about one failed attempt at an event. */
export type ErrorDecision =
  { readonly action: 'retry'; readonly delay: number } | { readonly action: 'skip' } | { readonly action: 'park' } | { readonly action: 'stop' };

/**
 * The decisions an `onError(error, event, context, attempt)` method of a handler or projector may
 * return; returning nothing (or anything else) leaves the decision to the static `errorPolicy`.
 */
export const ErrorDecision = {
  /** Try the event again after `delay` ms. @default 0 */
  retry: (delay = 0): ErrorDecision => ({ action: 'retry', delay: Math.max(0, Number(delay) || 0) }),
  /** Give up on the event and go on. */
  skip: { action: 'skip' } as ErrorDecision,
  /** Park the event (dead letter) and go on; see `parkMode`. */
  park: { action: 'park' } as ErrorDecision,
  /** Halt the subscription at this event. */
  stop: { action: 'stop' } as ErrorDecision,
} as const;

/** Signature of the optional `onError` method of a handler or projector class. */
export type OnErrorHook = (error: unknown, event: object, context: object, attempt: number) => unknown;

/** The error-policy settings of one subscription. */
export interface ErrorPolicySettings {
  errorPolicy: ErrorPolicy;
  /** Attempts under `'retry'` and `'park'`, the first one included. */
  maxAttempts: number;
  /** First retry delay in ms, doubled each attempt. */
  retryDelay: number;
}

const ACTIONS = new Set(['retry', 'skip', 'park', 'stop']);

/** True when `value` is one of the {@link ErrorDecision}s. */
export function isErrorDecision(value: unknown): value is ErrorDecision {
  const action = (value as { action?: unknown } | null)?.action;
  if (typeof action !== 'string' || !ACTIONS.has(action)) return false;
  return action !== 'retry' || Number.isFinite((value as { delay?: unknown }).delay);
}

/**
 * The decision after failed attempt number `attempt` (1 for the first): the handler's own, when it
 * gave a valid one, else the static policy's. `'retry'` and `'park'` retry with exponential backoff
 * until `maxAttempts`; then `'retry'` stops and `'park'` parks. Pure: no clock, no I/O.
 */
export function decideOnFailure(settings: ErrorPolicySettings, attempt: number, custom?: unknown): ErrorDecision {
  if (isErrorDecision(custom)) return custom;
  switch (settings.errorPolicy) {
    case 'skip':
      return ErrorDecision.skip;
    case 'stop':
      return ErrorDecision.stop;
    default:
      if (attempt < settings.maxAttempts) return ErrorDecision.retry(settings.retryDelay * 2 ** (attempt - 1));
      return settings.errorPolicy === 'park' ? ErrorDecision.park : ErrorDecision.stop;
  }
}
