import type { Type } from '@nestjs/common';
import type { AggregateDefinition } from './aggregate-definition.js';
import { CommandRouteNotFoundError } from '../errors/command-route-not-found.error.js';
import { ConfigurationError } from '../errors/configuration.error.js';
import { InvalidCommandError } from '../errors/invalid-command.error.js';
import { MissingAggregateIdentityError } from '../errors/missing-aggregate-identity.error.js';
import { identifierProblem, shown } from '../event-store/store-strings.js';

/** Where a command goes. */
export interface CommandRoute {
  definition: AggregateDefinition;
  aggregateId: string;
  streamId: string;
}

/** A command may check its own payload: return (or throw) the problems found. */
interface SelfValidating {
  validate(): string[] | string | void;
}

/** Maps each command class to the one aggregate that executes it. */
export class CommandRouter {
  private readonly routes = new Map<Type, AggregateDefinition>();
  private readonly byType = new Map<string, AggregateDefinition>();
  private readonly commandsByName = new Map<string, Type>();

  /** Adds an aggregate's commands; a command claimed by two aggregates fails boot. */
  register(definition: AggregateDefinition): void {
    for (const command of definition.commands.keys()) {
      const existing = this.routes.get(command);
      if (existing && existing !== definition) {
        throw new ConfigurationError(
          `Command ${command.name} is handled by both ${existing.type.name} and ${definition.type.name}; a command needs exactly one handler`,
        );
      }
      this.routes.set(command, definition);
      this.commandsByName.set(command.name, command);
    }
    this.byType.set(definition.metadata.type, definition);
  }

  definitions(): AggregateDefinition[] {
    return [...this.byType.values()];
  }

  /** Aggregate definition by type name. */
  definition(type: string): AggregateDefinition | undefined {
    return this.byType.get(type);
  }

  /** The registered command class named `name` (how commands from other nodes are revived). */
  commandClass(name: string): Type | undefined {
    return this.commandsByName.get(name);
  }

  /** Resolves a command's aggregate and stream, checking it first. */
  route(command: unknown): CommandRoute {
    if (command === null || typeof command !== 'object' || command.constructor === Object) {
      throw new InvalidCommandError(String((command as object)?.constructor?.name ?? command), [
        'a command must be an instance of a command class (use `new MyCommand(...)`, not a plain object)',
      ]);
    }
    const name = command.constructor.name;
    const definition = this.routes.get(command.constructor as Type);
    if (!definition) throw new CommandRouteNotFoundError(name);
    const identity = definition.metadata.identity;
    const raw = (command as Record<string, unknown>)[identity];
    if (!((typeof raw === 'string' && raw.trim() !== '') || (typeof raw === 'number' && Number.isFinite(raw)))) {
      throw new MissingAggregateIdentityError(name, identity);
    }
    const aggregateId = String(raw);
    const streamId = `${definition.metadata.prefix}${aggregateId}`;
    // Refused here, before any handler runs, so every store answers a bad identity the same way.
    const problem = identifierProblem(streamId);
    if (problem) throw new InvalidCommandError(name, [`'${identity}' ${shown(raw)} cannot name an aggregate: its stream id ${problem}`]);
    this.validate(name, command);
    return { definition, aggregateId, streamId };
  }

  private validate(name: string, command: object): void {
    const validate = (command as Partial<SelfValidating>).validate;
    if (typeof validate !== 'function') return;
    let problems: string[] | string | void;
    try {
      problems = validate.call(command);
    } catch (error) {
      problems = (error as Error).message;
    }
    const list = typeof problems === 'string' ? [problems] : (problems ?? []);
    if (list.length) throw new InvalidCommandError(name, list);
  }
}
