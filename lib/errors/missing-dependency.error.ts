import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** An optional peer dependency needed by the chosen adapter is not installed. */
export class MissingDependencyError extends EventSourcingError {
  static readonly code = 'MISSING_DEPENDENCY';

  constructor(
    /** The npm package to install. */
    readonly packageName: string,
    /** What needs it, e.g. `the embedded event store`. */
    purpose: string,
    cause?: unknown,
  ) {
    super(MissingDependencyError.code, `Install ${packageName} to use ${purpose}: npm install ${packageName}`, { cause });
  }
}

/** True when `error` is a {@link MissingDependencyError}. */
export const isMissingDependency = codeGuard<MissingDependencyError>(MissingDependencyError.code);
