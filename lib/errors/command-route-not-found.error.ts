import { codeGuard, EventSourcingError } from './event-sourcing.error.js';

/** No aggregate declares an `@Execute` handler for the dispatched command. */
export class CommandRouteNotFoundError extends EventSourcingError {
  static readonly code = 'COMMAND_ROUTE_NOT_FOUND';
  constructor(readonly commandName: string) {
    super(
      CommandRouteNotFoundError.code,
      `No aggregate handles command '${commandName}': add @Execute(${commandName}) to an aggregate listed in EventSourcingModule.forFeature({ aggregates })`,
    );
  }
}

/** True when `error` is a {@link CommandRouteNotFoundError}. */
export const isCommandRouteNotFound = codeGuard<CommandRouteNotFoundError>(CommandRouteNotFoundError.code);
