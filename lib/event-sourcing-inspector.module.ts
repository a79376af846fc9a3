import { type CanActivate, type DynamicModule, type ExecutionContext, Injectable, Module, type Type } from '@nestjs/common';
import { EventSourcingHealth } from './event-sourcing.health.js';
import { INSPECTOR_NODE_STATUS, type InspectorNodeStatus } from './inspector/inspector-node-status.js';
import { inspectorController } from './inspector/inspector.controller.js';
import { type EventSourcingInspectorOptions, type InspectorGuardFunction, resolveInspectorOptions } from './inspector/inspector.options.js';

/** A guard class around a guard function, so both forms go through `@UseGuards`. */
function guardClass(guard: InspectorGuardFunction): Type<CanActivate> {
  @Injectable()
  class InspectorFunctionGuard implements CanActivate {
    canActivate(context: ExecutionContext) {
      return guard(context);
    }
  }
  return InspectorFunctionGuard;
}

const isGuardClass = (guard: EventSourcingInspectorOptions['guard']): guard is Type<CanActivate> =>
  typeof guard === 'function' && typeof (guard.prototype as Partial<CanActivate> | undefined)?.canActivate === 'function';

/**
 * A read-only web page on the event store (streams and their events, subscriptions with their lag
 * refreshed every second, cluster members) with its JSON endpoints. Off unless imported, beside
 * `EventSourcingModule.forRoot` in an HTTP application; protect it with `guard`.
 */
@Module({})
export class EventSourcingInspectorModule {
  static forRoot(options: EventSourcingInspectorOptions = {}): DynamicModule {
    const path = resolveInspectorOptions(options);
    const guard = options.guard && (isGuardClass(options.guard) ? options.guard : guardClass(options.guard));
    return {
      module: EventSourcingInspectorModule,
      controllers: [inspectorController(path, guard)],
      providers: [
        {
          provide: INSPECTOR_NODE_STATUS,
          useFactory: (health: EventSourcingHealth) => (): InspectorNodeStatus => health.status(),
          inject: [EventSourcingHealth],
        },
      ],
    };
  }
}
