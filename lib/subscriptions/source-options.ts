import { START_POSITIONS, type SubscriptionMetadata } from '../decorators/subscription-options.js';
import { ConfigurationError } from '../errors/configuration.error.js';

/**
 * Throws `ConfigurationError` for options that say what a subscription reads and cannot hold:
 * a `stream` or `streamPrefix` that is not a non-empty string, both at once (one stream is already
 * inside any category that holds it), or a `startFrom` that is none of `'origin'`, `'current'`,
 * a global position (a whole number >= 0) or a valid `Date`.
 */
export function checkSourceOptions(owner: string, metadata: SubscriptionMetadata): void {
  const { stream, streamPrefix, startFrom } = metadata;
  for (const [key, value] of Object.entries({ stream, streamPrefix })) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new ConfigurationError(`${owner}: '${key}' must be a non-empty string, got ${JSON.stringify(value)}`);
    }
  }
  if (stream !== undefined && streamPrefix !== undefined) {
    throw new ConfigurationError(`${owner}: set 'stream' (one stream) or 'streamPrefix' (a category), not both`);
  }
  if (startFrom !== undefined && !isStartPosition(startFrom)) {
    throw new ConfigurationError(
      `${owner}: 'startFrom' must be 'origin', 'current', a global position (a whole number >= 0) or a Date, got ${JSON.stringify(startFrom)}`,
    );
  }
}

function isStartPosition(value: unknown): boolean {
  if ((START_POSITIONS as readonly unknown[]).includes(value)) return true;
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
