import {
  BadRequestException,
  Body,
  type CanActivate,
  Controller,
  ForbiddenException,
  Header,
  HttpCode,
  Inject,
  Logger,
  Param,
  Post,
  Query,
  Req,
  type Type,
  UseGuards,
} from '@nestjs/common';
import { InvalidControlRequestError } from '../errors/invalid-control-request.error.js';
import type { ResetTarget } from '../event-store/subscription-control.interface.js';
import { INSPECTOR_ACTIONS_ENABLED, type InspectorActions } from './inspector-actions.js';
import { answered } from './inspector-answers.js';
import { textOrUndefined } from './inspector-query.js';
import { INSPECTOR_SOURCES, type InspectorSources } from './inspector-sources.js';
import { remoteAddressOf } from './loopback-only.guard.js';

/**
 * Sent by the page with every action: a cross-site form cannot set it, and a cross-site script
 * cannot without a CORS preflight the inspector never answers.
 */
export const ACTION_HEADER = 'x-inspector-action';

type ActionRequest = { headers: Record<string, string | string[] | undefined> };

function targetOf(to: unknown): ResetTarget {
  if (to === undefined || to === 'origin' || to === 'current') return to ?? 'origin';
  if (typeof to === 'string' && /^\d+$/.test(to)) return Number(to);
  if (typeof to === 'number') return to;
  throw new BadRequestException({
    code: InvalidControlRequestError.code,
    message: `'to' must be 'origin', 'current' or a global position, got ${JSON.stringify(to)}`,
  });
}

/** The operator actions behind the page: off unless the application enabled them with a guard. */
class InspectorActionEndpoints {
  private readonly logger = new Logger('EventSourcingInspector');

  constructor(
    @Inject(INSPECTOR_SOURCES) private readonly sources: InspectorSources,
    @Inject(INSPECTOR_ACTIONS_ENABLED) private readonly enabled: boolean,
  ) {}

  @Post('api/subscriptions/:name/pause')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  pause(@Param('name') name: string, @Query('tenant') tenant: unknown, @Req() request: ActionRequest) {
    return this.act(request, tenant, `pause of subscription '${name}'`, (actions) => actions.pause(name));
  }

  @Post('api/subscriptions/:name/resume')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  resume(@Param('name') name: string, @Query('tenant') tenant: unknown, @Req() request: ActionRequest) {
    return this.act(request, tenant, `resume of subscription '${name}'`, (actions) => actions.resume(name));
  }

  @Post('api/subscriptions/:name/reset')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  reset(@Param('name') name: string, @Query('tenant') tenant: unknown, @Body() body: { to?: unknown } | undefined, @Req() request: ActionRequest) {
    const to = targetOf(body?.to);
    return this.act(request, tenant, `reset of subscription '${name}' to ${String(to)}`, (actions) => actions.reset(name, { to }));
  }

  @Post('api/subscriptions/:name/parked/retry')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async retryParked(@Param('name') name: string, @Query('tenant') tenant: unknown, @Req() request: ActionRequest) {
    const what = `retry of the parked events of subscription '${name}'`;
    return this.act(
      request,
      tenant,
      what,
      async (actions) => ({ marked: await actions.retryParked(name, 'all') }),
      (r) => `${r.marked} marked`,
    );
  }

  @Post('api/subscriptions/:name/parked/discard')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async discardParked(@Param('name') name: string, @Query('tenant') tenant: unknown, @Req() request: ActionRequest) {
    const what = `discard of the parked events of subscription '${name}'`;
    return this.act(
      request,
      tenant,
      what,
      async (actions) => ({ discarded: await actions.discardParked(name, 'all') }),
      (r) => `${r.discarded} discarded`,
    );
  }

  /**
   * Refuses unless enabled and sent by the page, then runs `run` on the actions of the store
   * `tenant` names (else the module's own) and logs what was done, by whom.
   */
  private async act<T>(
    request: ActionRequest,
    tenant: unknown,
    what: string,
    run: (actions: InspectorActions) => Promise<T>,
    outcome?: (result: T) => string,
  ): Promise<T> {
    if (!this.enabled) {
      throw new ForbiddenException({
        message: 'Inspector actions are off: enable them with EventSourcingInspectorModule.forRoot({ guard, actions: true })',
      });
    }
    if (request.headers[ACTION_HEADER] !== '1')
      throw new ForbiddenException({ message: `Inspector actions come from its page only (header ${ACTION_HEADER})` });
    const named = textOrUndefined(tenant);
    const result = await answered(async () => run((await this.sources.of(named)).actions));
    const whose = named === undefined ? '' : ` of tenant '${named}'`;
    this.logger.log(`Inspector: ${what}${whose} from ${remoteAddressOf(request) ?? 'an unknown address'}${outcome ? `: ${outcome(result)}` : ''}`);
    return result;
  }
}

/** The actions' controller at `path`, behind `guard`. */
export function inspectorActionsController(path: string, guard: Type<CanActivate>): Type<unknown> {
  class InspectorActionsController extends InspectorActionEndpoints {}
  Controller(path)(InspectorActionsController);
  UseGuards(guard)(InspectorActionsController);
  return InspectorActionsController;
}
