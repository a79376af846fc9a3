import { StoreDiagnostics, type SubscriptionLag } from '../diagnostics/store-diagnostics.js';
import type { CliCommand } from './cli-command.js';
import { duration, table } from './text-output.js';

/** What the command line cannot see from the store, said once so no one looks for it. */
const LIVE_AGGREGATES_NOTE = 'Live aggregates live in each node process: see the inspector page or EventSourcingHealth.status() on each node.';

/** What the stored control state says a subscription is doing. */
function stateOf(s: SubscriptionLag): string {
  if (s.paused) return 'paused';
  if (s.resetTo !== null) return `reset to ${s.resetTo} pending`;
  return s.owner ? 'owned' : 'no owner';
}

/** `status`: subscriptions and their lag, cluster members and their heartbeats. */
export const command: CliCommand = {
  summary: 'subscriptions with position, lag, state and owner node; cluster members with heartbeat age',
  usage: '',
  flags: {},
  async run(context) {
    const store = await context.openStore();
    const overview = await new StoreDiagnostics(store).overview();
    if (context.json) return context.printJson({ ...overview, note: LIVE_AGGREGATES_NOTE });
    const now = Date.now();
    context.print(`head position ${overview.head}`);
    context.print('');
    if (overview.subscriptions.length === 0) context.print('no subscriptions recorded');
    else {
      const rows = overview.subscriptions.map((s) => [
        s.name,
        s.position,
        s.lag,
        stateOf(s),
        s.owner ?? '-',
        `${duration(now - s.updatedAt.getTime())} ago`,
      ]);
      table([['SUBSCRIPTION', 'POSITION', 'LAG', 'STATE', 'OWNER', 'UPDATED'], ...rows]).forEach((line) => context.print(line));
    }
    context.print('');
    if (!overview.members?.length) context.print('no cluster members recorded (single node, independent nodes, or static discovery)');
    else {
      const rows = overview.members.map((m) => [
        m.name,
        `${m.host}:${m.port}`,
        new Date(m.startedAt).toISOString(),
        `${duration(m.heartbeatAgeMs)} ago`,
      ]);
      table([['MEMBER', 'ADDRESS', 'STARTED', 'LAST HEARTBEAT'], ...rows]).forEach((line) => context.print(line));
    }
    context.print('');
    context.print(LIVE_AGGREGATES_NOTE);
  },
};
