import { type CanActivate, Controller, Get, Header, Inject, Query, Req, type Type, UseGuards } from '@nestjs/common';
import { StoreDiagnostics } from '../diagnostics/store-diagnostics.js';
import { type AggregateAt, parseAggregateAt } from '../event-store/aggregate-at.js';
import { EventStore } from '../event-store/event-store.interface.js';
import { INSPECTOR_ACTIONS_ENABLED } from './inspector-actions.js';
import { answered } from './inspector-answers.js';
import { INSPECTOR_NODE_STATUS, type InspectorNodeStatus } from './inspector-node-status.js';
import { inspectorPage } from './inspector-page.js';
import { INSPECTOR_SCRIPT } from './inspector-script.js';
import { INSPECTOR_STATE, type InspectorStateReader } from './inspector-state.js';

/** The page may run only its own script and talk only to its own server. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const DEFAULT_PAGE = 20;

/** Query values arrive as text; a missing one stays undefined, anything else is checked by the reader. */
const numberOrUndefined = (value: unknown): number | undefined => (value === undefined || value === '' ? undefined : Number(value));
const textOrUndefined = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
/** `at`: a stream version or an ISO time, as the page sends it. */
const atOrUndefined = (value: unknown): AggregateAt | undefined => {
  const text = textOrUndefined(value);
  return text === undefined ? undefined : parseAggregateAt(text);
};

/** The endpoints the page reads. */
class InspectorEndpoints {
  private readonly diagnostics: StoreDiagnostics;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(INSPECTOR_NODE_STATUS) private readonly nodeStatus: () => InspectorNodeStatus,
    @Inject(INSPECTOR_ACTIONS_ENABLED) private readonly actions: boolean,
    @Inject(INSPECTOR_STATE) private readonly readState: InspectorStateReader,
  ) {
    this.diagnostics = new StoreDiagnostics(store);
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
  async overview() {
    const [overview, node] = [await this.diagnostics.overview(), this.nodeStatus()];
    const here = new Map(node.subscriptions.map((s) => [s.name, s]));
    const parked = await Promise.all(overview.subscriptions.map((s) => this.store.parkedEvents.count(s.name)));
    return {
      node: { name: node.node, liveAggregates: node.aggregates.live, cluster: node.cluster },
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
  streams(@Query() query: Record<string, unknown>) {
    return answered(() =>
      this.diagnostics.streams({
        prefix: textOrUndefined(query.prefix),
        after: textOrUndefined(query.after),
        limit: numberOrUndefined(query.limit) ?? DEFAULT_PAGE,
      }),
    );
  }

  @Get('api/events')
  @Header('Cache-Control', 'no-store')
  events(@Query() query: Record<string, unknown>) {
    return answered(() =>
      this.diagnostics.events(query.stream as string, {
        from: numberOrUndefined(query.from),
        limit: numberOrUndefined(query.limit) ?? DEFAULT_PAGE,
        at: atOrUndefined(query.at),
      }),
    );
  }

  @Get('api/state')
  @Header('Cache-Control', 'no-store')
  state(@Query() query: Record<string, unknown>) {
    return answered(() => this.readState(query.stream as string, { at: atOrUndefined(query.at), aggregate: textOrUndefined(query.aggregate) }));
  }
}

/** The inspector's controller at `path`, behind `guard`. */
export function inspectorController(path: string, guard: Type<CanActivate>): Type<unknown> {
  class InspectorController extends InspectorEndpoints {}
  Controller(path)(InspectorController);
  UseGuards(guard)(InspectorController);
  return InspectorController;
}
