import { Inject, Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfigurationError } from '../errors/configuration.error.js';
import { COMMAND_SETTINGS, type CommandSettings } from './command.options.js';
import type { CommandMiddleware } from './command-middleware.interface.js';

/**
 * The command middleware in order, as `commands.middleware` lists them: objects as they are, and
 * classes built by Nest like guards and interceptors, so they can inject providers. A class
 * registered as a provider anywhere in the application is that provider (one instance, with its
 * module's injections); any other is built in the event-sourcing module's scope (global providers
 * and the modules `forRootAsync` imports). Built when the module starts, so a class Nest cannot
 * build fails the start.
 */
@Injectable()
export class CommandMiddlewareChain implements OnModuleInit {
  /** The middleware, once built. */
  resolved?: CommandMiddleware[];
  private building?: Promise<CommandMiddleware[]>;

  constructor(
    @Inject(COMMAND_SETTINGS) private readonly settings: CommandSettings,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.build();
  }

  /** The middleware; builds them first when a command comes before the module started. */
  build(): Promise<CommandMiddleware[]> {
    return (this.building ??= Promise.all(this.settings.middleware.map((entry) => this.instanceOf(entry))).then(
      (middleware) => (this.resolved = middleware),
    ));
  }

  private async instanceOf(entry: CommandMiddleware | Type<CommandMiddleware>): Promise<CommandMiddleware> {
    if (typeof entry !== 'function') return entry;
    try {
      return this.moduleRef.get(entry, { strict: false });
    } catch {
      // Not a provider: Nest builds it here, as it builds a guard listed on a controller.
    }
    try {
      return await this.moduleRef.create(entry);
    } catch (error) {
      throw new ConfigurationError(
        `Command middleware ${entry.name} cannot be built: ${(error as Error).message}. Register it as a provider in the module that has its dependencies, or make them reachable from EventSourcingModule (global providers, or forRootAsync's imports)`,
      );
    }
  }
}
