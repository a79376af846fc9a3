import { type CanActivate, Controller, Get, Header, Inject, Query, Req, type Type, UseGuards } from '@nestjs/common';
import { StoreDiagnostics } from '../diagnostics/store-diagnostics.js';
import { INSPECTOR_ACTIONS_ENABLED } from './inspector-actions.js';
import { answered } from './inspector-answers.js';
import { inspectorPage } from './inspector-page.js';
import { atOrUndefined, numberOrUndefined, textOrUndefined } from './inspector-query.js';
import { INSPECTOR_SCRIPT } from './inspector-script.js';
import { INSPECTOR_SOURCES, type InspectorSources } from './inspector-sources.js';

/** The page may run only its own script and talk only to its own server. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const DEFAULT_PAGE = 20;

/** The endpoints the page reads; each reads the store `?tenant=` names, else the module's own. */
class InspectorEndpoints {
  constructor(
    @Inject(INSPECTOR_SOURCES) private readonly sources: InspectorSources,
    @Inject(INSPECTOR_ACTIONS_ENABLED) private readonly actions: boolean,
  ) {}

  private async diagnostics(tenant: unknown) {
    const source = await answered(() => this.sources.of(textOrUndefined(tenant)));
    return { source, diagnostics: new StoreDiagnostics(source.store) };
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  @Header('Cache-Control', 'no-store')
  page(@Req() request: { url: string }): string {
    return inspectorPage(request.url.split('?')[0]);
  }

  @Get('inspector.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  script(): string {
    return INSPECTOR_SCRIPT;
  }

  @Get('api/overview')
  @Header('Cache-Control', 'no-store')
  async overview(@Query('tenant') tenant: unknown) {
    const { source, diagnostics } = await this.diagnostics(tenant);
    const [overview, node, tenants] = [await diagnostics.overview(), source.nodeStatus(), await this.sources.tenants()];
    const here = new Map(node.subscriptions.map((s) => [s.name, s]));
    const parked = await Promise.all(overview.subscriptions.map((s) => source.store.parkedEvents.count(s.name)));
    return {
      node: { name: node.node, liveAggregates: node.aggregates.live, cluster: node.cluster },
      tenants,
      head: overview.head,
      booksClosedBefore: overview.booksClosedBefore,
      actions: this.actions,
      subscriptions: overview.subscriptions.map((s, i) => ({
        ...s,
        parked: parked[i],
        here: here.get(s.name)?.state,
        lastError: here.get(s.name)?.lastError?.message,
      })),
      members: overview.members,
    };
  }

  @Get('api/streams')
  @Header('Cache-Control', 'no-store')
  async streams(@Query() query: Record<string, unknown>) {
    const { diagnostics } = await this.diagnostics(query.tenant);
    return answered(() =>
      diagnostics.streams({
        prefix: textOrUndefined(query.prefix),
        after: textOrUndefined(query.after),
        limit: numberOrUndefined(query.limit) ?? DEFAULT_PAGE,
      }),
    );
  }

  @Get('api/events')
  @Header('Cache-Control', 'no-store')
  async events(@Query() query: Record<string, unknown>) {
    const { diagnostics } = await this.diagnostics(query.tenant);
    return answered(() =>
      diagnostics.events(query.stream as string, {
        from: numberOrUndefined(query.from),
        limit: numberOrUndefined(query.limit) ?? DEFAULT_PAGE,
        at: atOrUndefined(query.at),
      }),
    );
  }

  @Get('api/state')
  @Header('Cache-Control', 'no-store')
  async state(@Query() query: Record<string, unknown>) {
    const { source } = await this.diagnostics(query.tenant);
    return answered(() => source.readState(query.stream as string, { at: atOrUndefined(query.at), aggregate: textOrUndefined(query.aggregate) }));
  }
}

/** The inspector's controller at `path`, behind `guard`. */
export function inspectorController(path: string, guard: Type<CanActivate>): Type<unknown> {
  class InspectorController extends InspectorEndpoints {}
  Controller(path)(InspectorController);
  UseGuards(guard)(InspectorController);
  return InspectorController;
}
