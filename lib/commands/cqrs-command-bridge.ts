import { Injectable, type Type } from '@nestjs/common';
import { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AggregateDefinition } from '../aggregates/aggregate-definition.js';
import { CommandGateway } from './command-gateway.js';

/**
 * Lets `CommandBus.execute(command)` from @nestjs/cqrs reach the same aggregates as
 * `CommandGateway.dispatch(command)`, with the gateway's defaults.
 */
@Injectable()
export class CqrsCommandBridge {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly gateway: CommandGateway,
  ) {}

  bind(aggregates: AggregateDefinition[]): void {
    const wrappers = aggregates.flatMap((a) => [...a.commands.keys()]).map((command) => this.wrapperFor(command));
    this.commandBus.register(wrappers as InstanceWrapper<ICommandHandler>[]);
  }

  private wrapperFor(command: Type): InstanceWrapper {
    const gateway = this.gateway;
    @CommandHandler(command)
    class AggregateCommandHandler {
      execute(received: object) {
        return gateway.dispatch(received);
      }
    }
    Object.defineProperty(AggregateCommandHandler, 'name', { value: `${command.name}Handler` });
    return new InstanceWrapper({ metatype: AggregateCommandHandler, instance: new AggregateCommandHandler(), isResolved: true });
  }
}
