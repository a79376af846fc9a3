import { Inject, Injectable, Optional } from '@nestjs/common';
import { CommandTimeoutError } from '../errors/command-timeout.error.js';
import { CommandAdmission } from './command-admission.js';
import { Registry } from '../registry/registry.interface.js';
import { COMMAND_SETTINGS, type CommandSettings } from './command.options.js';
import { ConsistencyWaiter } from '../subscriptions/consistency-waiter.js';
import { DispatchOrigin, type OriginDispatcher } from '../subscriptions/dispatch-origin.js';
import { SubscriptionCatalog } from '../subscriptions/subscription-catalog.js';
import { awaitDeadline } from '../util/await-deadline.js';
import { uuidV4 } from '../util/uuid-v4.js';
import type { CommandEnvelope } from '../aggregates/command-envelope.js';
import type { CommandPipeline } from './command-middleware.interface.js';
import { CommandMiddlewareChain } from './command-middleware-chain.js';
import { CommandRouter } from '../aggregates/command-router.js';
import type { DispatchOptions } from './dispatch-options.js';
import { validateDispatchOptions } from './dispatch-options.validator.js';
import type { ExecutionResult } from '../aggregates/execution-result.js';
import { Telemetry } from '../telemetry/telemetry.interface.js';
import { ANY } from '../event-store/expected-version.js';
import { assertOwnTenant, OWN_TENANT, TenantRouter } from '../tenants/tenant-router.js';

/**
 * The way in for commands: routes a command to its aggregate (through the registry, so it may
 * run on another node), runs the middleware, enforces the timeout and the requested consistency.
 */
@Injectable()
export class CommandGateway implements OriginDispatcher {
  private readonly subscriptionNames = () => this.catalog.names();

  constructor(
    private readonly router: CommandRouter,
    @Inject(Registry) private readonly registry: Registry,
    private readonly waiter: ConsistencyWaiter,
    private readonly catalog: SubscriptionCatalog,
    @Inject(COMMAND_SETTINGS) private readonly settings: CommandSettings,
    private readonly admission: CommandAdmission,
    @Inject(Telemetry) private readonly telemetry: Telemetry,
    private readonly chain: CommandMiddlewareChain,
    @Inject(TenantRouter) private readonly tenants: TenantRouter,
    /** The tenant this gateway's engine serves, in a tenant's engine only. */
    @Optional() @Inject(OWN_TENANT) private readonly tenant?: string,
  ) {}

  /**
   * Dispatches a command; resolves with what `options.returning` asks for. Once the application is
   * shutting down, a new command is refused with `ShuttingDownError` (nothing runs). When the
   * module serves tenants, the command goes to the engine of `options.tenant`, by default the
   * tenant of the `Tenants.run` around the call.
   */
  async dispatch<R = unknown>(command: object, options: DispatchOptions = {}): Promise<R> {
    if (!this.tenants.enabled) return this.dispatchFrom(DispatchOrigin.current(), command, options);
    // Admitted here too: this node's shutdown refuses new commands for every tenant and waits for those in flight.
    return this.admission.admit(command, async () => {
      const engine = await this.tenants.engine(options.tenant, `dispatch of ${command?.constructor?.name ?? typeof command}`);
      // What the command sets off in this process (the EventBus's handlers) is its tenant's, whatever the caller's scope.
      return this.tenants.run(engine.tenant, () => engine.get(CommandGateway).dispatch<R>(command, options));
    });
  }

  /**
   * Dispatches a command on behalf of a subscription handling an event (`context.dispatch`): its
   * wait leaves that subscription out, and its ids default to ones derived from the event.
   */
  dispatchFrom<R = unknown>(origin: DispatchOrigin | undefined, command: object, options: DispatchOptions = {}): Promise<R> {
    return this.admission.admit(command, () => this.telemetry.dispatch(command, () => this.send<R>(command, options, origin)));
  }

  private async send<R>(command: object, options: DispatchOptions, origin: DispatchOrigin | undefined): Promise<R> {
    validateDispatchOptions(options, this.subscriptionNames);
    assertOwnTenant(this.tenant, options.tenant, 'command', 'CommandGateway');
    const route = this.router.route(command);
    const commandId = options.commandId ?? origin?.nextCommandId() ?? uuidV4();
    const timeout = options.timeout ?? this.settings.timeout;
    const started = Date.now();
    const pipeline: CommandPipeline = {
      command,
      commandName: command.constructor.name,
      commandId,
      options,
      // A tenant's engine signs its events with its tenant, whatever the caller's metadata says.
      metadata: this.tenant === undefined ? { ...options.metadata } : { ...options.metadata, tenant: this.tenant },
      assigns: {},
    };
    const middleware = this.chain.resolved ?? (await this.chain.build());
    try {
      for (const m of middleware) await m.beforeDispatch?.(pipeline);
      const envelope: CommandEnvelope = {
        command,
        commandName: pipeline.commandName,
        commandId,
        aggregateType: route.definition.metadata.type,
        aggregateId: route.aggregateId,
        streamId: route.streamId,
        causationId: options.causationId ?? origin?.causationId ?? commandId,
        correlationId: options.correlationId ?? origin?.correlationId ?? commandId,
        metadata: pipeline.metadata,
        deadline: started + timeout,
        timeout,
        returnState: options.returning === 'aggregateState' || options.returning === 'executionResult',
        // A derived id may come again from a retried delivery, exactly like a caller's own.
        idempotent: options.commandId !== undefined || origin !== undefined,
        forwarded: false,
        expectedVersion: options.expectedVersion === ANY ? undefined : options.expectedVersion,
      };
      const result = await awaitDeadline(this.registry.execute(envelope), timeout, () => new CommandTimeoutError(pipeline.commandName, timeout));
      const waiting = this.awaitConsistency(options, result, started + timeout, origin?.subscription);
      if (waiting) await waiting;
      for (const m of middleware) await m.afterDispatch?.(pipeline, result);
      return this.shape(result, options) as R;
    } catch (error) {
      for (const m of middleware) await m.afterFailure?.(pipeline, error);
      throw error;
    }
  }

  /**
   * The wait for the requested consistency, or undefined when there is none (no promise made for
   * eventual commands). It never includes `origin`, the subscription dispatching: that one cannot
   * pass the event it is handling before this dispatch returns.
   */
  private awaitConsistency(options: DispatchOptions, result: ExecutionResult, deadline: number, origin?: string): Promise<void> | undefined {
    const consistency = options.consistency ?? this.settings.consistency;
    if (consistency === 'eventual') return undefined;
    const requested = this.catalog.relevant(consistency === 'strong' ? this.catalog.strongNames() : consistency, result);
    const names = origin === undefined ? requested : requested.filter((name) => name !== origin);
    if (names.length && result.globalPosition > 0) return this.waiter.waitFor(names, result.globalPosition, deadline - Date.now());
    return undefined;
  }

  private shape(result: ExecutionResult, options: DispatchOptions): unknown {
    switch (options.returning ?? 'none') {
      case 'aggregateVersion':
        return result.aggregateVersion;
      case 'events':
        return result.events;
      case 'aggregateState':
        return result.aggregateState;
      case 'executionResult':
        return result;
      default:
        return undefined;
    }
  }
}
