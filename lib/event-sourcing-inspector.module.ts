import {
  type CanActivate,
  type DynamicModule,
  type ExecutionContext,
  Injectable,
  Logger,
  Module,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { INSPECTOR_ACTIONS_ENABLED } from './inspector/inspector-actions.js';
import { inspectorActionsController } from './inspector/inspector-actions.controller.js';
import { inspectorController } from './inspector/inspector.controller.js';
import { type EventSourcingInspectorOptions, type InspectorGuardFunction, resolveInspectorOptions } from './inspector/inspector.options.js';
import { LoopbackOnlyGuard } from './inspector/loopback-only.guard.js';
import { inspectorSourcesProvider } from './inspector-sources.provider.js';

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

/** Says at boot who can reach the inspector and whether it can act: an operator should not have to guess. */
function bootAnnouncement(path: string, guard: Type<CanActivate> | undefined, actions: boolean): Type<OnModuleInit> {
  @Injectable()
  class InspectorAnnouncement implements OnModuleInit {
    onModuleInit() {
      const logger = new Logger('EventSourcingInspector');
      if (!guard) {
        logger.warn(
          `Inspector at ${path} has no guard: it answers loopback requests only (give EventSourcingInspectorModule.forRoot a guard to serve others)`,
        );
      } else {
        logger.log(`Inspector at ${path} behind ${guard.name}; actions (pause, resume, reset, parked events) ${actions ? 'enabled' : 'off'}`);
      }
    }
  }
  return InspectorAnnouncement;
}

/**
 * A web page on the event store (streams and their events with deep links, subscriptions with
 * their lag refreshed every second, cluster members) with its JSON endpoints; when the module
 * serves tenants, on each tenant's store, chosen on the page. Off unless imported,
 * beside `EventSourcingModule.forRoot` in an HTTP application. Without a `guard` it answers
 * loopback requests only; with one, `actions: true` lets the page operate subscriptions.
 */
@Module({})
export class EventSourcingInspectorModule {
  static forRoot(options: EventSourcingInspectorOptions = {}): DynamicModule {
    const { path, actions } = resolveInspectorOptions(options);
    const given = options.guard && (isGuardClass(options.guard) ? options.guard : guardClass(options.guard));
    const guard = given ?? LoopbackOnlyGuard;
    return {
      module: EventSourcingInspectorModule,
      controllers: [inspectorController(path, guard), inspectorActionsController(path, guard)],
      providers: [inspectorSourcesProvider, { provide: INSPECTOR_ACTIONS_ENABLED, useValue: actions }, bootAnnouncement(path, given, actions)],
    };
  }
}
