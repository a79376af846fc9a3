import { StoreDiagnostics, type SubscriptionLag } from '../diagnostics/store-diagnostics.js';
import { DEFAULT_NODE_TIMEOUT } from '../event-store/member-table.interface.js';
import { type CliCommand, UsageError } from './cli-command.js';
import { duration, table } from './text-output.js';

/** What the command line cannot see from the store, said once so no one looks for it. */
const LIVE_AGGREGATES_NOTE = 'Live aggregates live in each node process: see the inspector page or EventSourcingHealth.status() on each node.';

/** What the stored control state says a subscription is doing. */
function stateOf(s: SubscriptionLag): string {
  if (s.partitions) return `spread over ${s.partitions} partitions${s.paused ? ', paused' : ''}`;
  if (s.paused) return 'paused';
  if (s.resetTo !== null) return `reset to ${s.resetTo} pending`;
  return s.owner ? 'owned' : 'no owner';
}

function nodeTimeoutOf(raw: string | boolean | undefined): number {
  if (raw === undefined) return DEFAULT_NODE_TIMEOUT;
  if (typeof raw === 'string' && /^\d+$/.test(raw) && Number(raw) > 0) return Number(raw);
  throw new UsageError(`--node-timeout must be a whole number of milliseconds above 0, got ${JSON.stringify(raw)}`);
}

/** `status`: subscriptions and their lag, cluster members and their heartbeats. */
export const command: CliCommand = {
  summary: 'subscriptions with position, lag, state and owner node; cluster members with heartbeat age',
  usage: '[--node-timeout ms]',
  details: `  --node-timeout  the cluster's nodeTimeout: a member not heard from for longer is listed as gone (default ${DEFAULT_NODE_TIMEOUT})`,
  flags: { 'node-timeout': { type: 'string' } },
  async run(context) {
    const nodeTimeout = nodeTimeoutOf(context.values['node-timeout']);
    const store = await context.openStore();
    const overview = await new StoreDiagnostics(store).overview(nodeTimeout);
    if (context.json) return context.printJson({ ...overview, note: LIVE_AGGREGATES_NOTE });
    const now = Date.now();
    context.print(`head position ${overview.head}`);
    if (overview.booksClosedBefore) context.print(`books closed before position ${overview.booksClosedBefore} (earlier events archived)`);
    context.print('');
    if (overview.subscriptions.length === 0) context.print('no subscriptions recorded');
    else {
      const rows = overview.subscriptions.map((s) => [
        // A spread subscription's partitions follow it, indented: each has its own position and owner.
        s.partitionOf ? `  ${s.name}` : s.name,
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
        m.alive ? 'alive' : 'gone',
        new Date(m.startedAt).toISOString(),
        `${duration(m.heartbeatAgeMs)} ago`,
      ]);
      table([['MEMBER', 'ADDRESS', 'STATE', 'STARTED', 'LAST HEARTBEAT'], ...rows]).forEach((line) => context.print(line));
    }
    context.print('');
    context.print(LIVE_AGGREGATES_NOTE);
  },
};
