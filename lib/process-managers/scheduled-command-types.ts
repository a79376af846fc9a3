import type { Type } from '@nestjs/common';
import { ConfigurationError } from '../errors/configuration.error.js';
import type { JsonObject } from '../event-store/recorded-event.js';
import type { ScheduledCommand } from '../event-store/scheduled-commands.interface.js';
import type { CommandClassResolver } from './command-class-resolver.interface.js';

/**
 * Turns scheduled commands into stored JSON and back. A class seen when a command was scheduled
 * is remembered; one scheduled by an earlier run or another process is found through the
 * resolver (the application's registered command classes).
 */
export class ScheduledCommandTypes {
  private readonly seen = new Map<string, Type>();

  constructor(private readonly resolver?: CommandClassResolver) {}

  /** The stored form of `command`: its class name and its own properties as JSON. */
  encode(command: object): { commandType: string; command: JsonObject } {
    const type = command.constructor as Type;
    this.seen.set(type.name, type);
    return { commandType: type.name, command: JSON.parse(JSON.stringify(command)) as JsonObject };
  }

  /** The command as an instance of its class; `ConfigurationError` when no class of that name is known. */
  revive(scheduled: ScheduledCommand): object {
    const type = this.seen.get(scheduled.commandType) ?? this.resolver?.commandClass(scheduled.commandType);
    if (!type) {
      throw new ConfigurationError(
        `Scheduled command '${scheduled.key}' of ${scheduled.processManager} '${scheduled.processId}' is a ${scheduled.commandType}, which no aggregate of this application executes`,
      );
    }
    return Object.assign(Object.create(type.prototype as object) as object, structuredClone(scheduled.command));
  }
}
