import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** Decorated classes do not fit together (duplicate handler, unregistered event class, ...); raised at boot. */
export class ConfigurationError extends EventSourcingError {
  static readonly code = 'CONFIGURATION_ERROR';
  constructor(message: string) {
    super(ConfigurationError.code, message);
  }
}

/** True when `error` is a {@link ConfigurationError}. */
export const isConfigurationError = codeGuard<ConfigurationError>(ConfigurationError.code);
