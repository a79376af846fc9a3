import type { Type } from '@nestjs/common';

/** Finds a command class by its name; the command router is the application's. */
export interface CommandClassResolver {
  commandClass(name: string): Type | undefined;
}

/** Injection token of the {@link CommandClassResolver} that revives stored scheduled commands. */
export const CommandClassResolver = Symbol('CommandClassResolver');
