import { randomBytes } from 'node:crypto';
import { CLUSTER_NODE, type ClusterNode } from '../lib/cluster/cluster-node.js';
import type { EventSourcingModuleOptions } from '../lib/index.js';
import { type BenchApp, startBenchApp } from './bench-app.js';
import { scaled } from './bench-config.js';
import { CreditWallet, LookAtWallet, WALLET_PREFIX } from './bench-domain.js';
import { compare, type Figures, latencyFigures, pick } from './bench-measure.js';
import { withDatabase } from './bench-postgres.js';
import { atMostPlus, benchRow, type BenchRow, type Target } from './bench-result.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { type Departure, failoverRound } from './cluster-failover.js';
import { clusterThroughput } from './cluster-throughput.js';
import { NodeProcess } from './node-process.js';

const SAMPLES = 1_000;
const WALLETS = 200;
const THROUGHPUT_COMMANDS = 3_000;
const THROUGHPUT_WORKERS = 32;
/** The default node timeout; failover must stay within it plus a second. */
const NODE_TIMEOUT_MS = 3_000;

/** Wallet ids (with `token`) that `owner` owns in `node`'s view. */
function walletsOwnedBy(node: ClusterNode, owner: string, token: string): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < WALLETS && i < WALLETS * 10; i++)
    if (node.ownerOf(`${WALLET_PREFIX}${token}-${i}`) === owner) ids.push(`${token}-${i}`);
  return ids;
}

const failoverTarget: Target = {
  text: `≤ nodeTimeout + 1 s (${NODE_TIMEOUT_MS + 1000} ms)`,
  met: (ours) => ours <= NODE_TIMEOUT_MS + 1000,
};

/**
 * B9, cluster mode over PostgreSQL: a command forwarded to its owner against the same command run
 * locally; commands/s through three nodes against one node; and the time until a departed node's
 * aggregates take commands again, after `kill -9` against after SIGTERM.
 */
export const b9Cluster: Scenario = {
  id: 'B9',
  title: 'cluster: forwarded vs local dispatch, 3 node processes vs 1, failover after kill -9 vs SIGTERM (PostgreSQL, loopback TCP)',
  run: ({ config, progress }) =>
    withDatabase(config.databaseUrl, async (db) => {
      const samples = scaled(config, SAMPLES, 100);
      const rounds = { warmups: config.warmups, repeats: Math.min(config.repeats, 3) };
      const token = randomBytes(4).toString('hex');
      const schema = await db.migratedSchema('b9_cluster');
      const eventStore = { adapter: 'postgres' as const, connectionString: config.databaseUrl, schema };
      const options = (name: string): EventSourcingModuleOptions => ({
        eventStore,
        registry: 'global',
        pubsub: 'global',
        nodeName: `bench-b9-${name}-${token}`,
        cluster: { listen: { host: '127.0.0.1', port: 0 }, nodeTimeout: NODE_TIMEOUT_MS },
      });
      const apps: BenchApp[] = [];
      const processes: NodeProcess[] = [];
      try {
        apps.push(await startBenchApp(options('a')), await startBenchApp(options('b')));
        const [a, b] = apps;
        const nodeA = a.context.get<symbol, ClusterNode>(CLUSTER_NODE);
        const nameB = b.context.get<symbol, ClusterNode>(CLUSTER_NODE).name;
        await untilMembers(nodeA, 2);
        const local = walletsOwnedBy(nodeA, nodeA.name, token);
        const remote = walletsOwnedBy(nodeA, nameB, token);
        // Loaded beforehand, so both sides measure live aggregates, not first loads.
        for (const id of [...local, ...remote]) await a.gateway.dispatch(new LookAtWallet(id));
        const dispatches = (ids: string[]) => (round: number) =>
          latencyFigures(samples, (i) => a.gateway.dispatch(new CreditWallet(ids[(i + round) % ids.length], 1 + (i % 100))));
        const describe = (f: Figures) => `p50 ${f.p50.toFixed(2)} ms, p99 ${f.p99.toFixed(2)} ms`;
        progress.line('forwarded dispatches (owner on the other node) against local dispatches (owner on this node)');
        const result = await compare(rounds, progress, { ours: dispatches(remote), baseline: dispatches(local) }, describe);
        const work = (where: string) =>
          `${samples} sequential \`dispatch(CreditWallet)\` per repeat on node A over ${WALLETS} wallets loaded beforehand, owned by ${where}; two applications in one process, cluster over loopback TCP`;
        const rows = (['p50', 'p99'] as const).map((key): BenchRow =>
          benchRow({
            scenario: 'B9',
            case: 'forwarded dispatch vs local dispatch',
            metric: `${key} ms`,
            better: 'lower',
            ours: pick(result.ours, key),
            baseline: pick(result.baseline, key),
            ...(key === 'p50' && { target: atMostPlus(0.5, 'ms') }),
            oursWork: work('node B (forwarded over TCP)'),
            baselineWork: work('node A itself (local)'),
            notes: ['Both nodes share one Node.js event loop, so the forwarded figure includes the owner’s work on the same thread.'],
          }),
        );

        // Three cluster nodes in processes of their own, and one single node (local registry and pubsub) in
        // another, on a schema of their own: their cluster is not A and B's.
        const processStore = { ...eventStore, schema: await db.migratedSchema('b9_processes') };
        processes.push(
          ...(await NodeProcess.startAll([
            ...['p1', 'p2', 'p3'].map((name) => ({ ...options(name), eventStore: processStore })),
            { eventStore: processStore, nodeName: `bench-b9-single-${token}` },
          ])),
        );
        const cluster = processes.slice(0, 3);
        const single = processes[3];
        await untilProcessesAgree(cluster);
        const commands = scaled(config, THROUGHPUT_COMMANDS, 300);
        progress.line(
          `commands/s: ${THROUGHPUT_WORKERS} concurrent callers spread over 3 cluster nodes in 3 processes against the same callers on 1 node in 1 process`,
        );
        const rates = await compare(
          rounds,
          progress,
          {
            ours: () => clusterThroughput(cluster, `${token}-n3`, commands, THROUGHPUT_WORKERS, WALLETS),
            baseline: () => clusterThroughput([single], `${token}-n1`, commands, THROUGHPUT_WORKERS, WALLETS),
          },
          (f) => `${Math.round(f.rate)} commands/s`,
        );
        const rateWork = (where: string) =>
          `${commands} \`dispatch(CreditWallet)\` per repeat from ${THROUGHPUT_WORKERS} concurrent callers over ${WALLETS} wallets, ${where}; each node a Node.js process of its own, callers inside the nodes, started together over IPC; same PostgreSQL store and schema`;
        rows.push(
          benchRow({
            scenario: 'B9',
            case: '3 cluster nodes vs 1 node, one process each',
            metric: 'commands/s',
            better: 'higher',
            ours: pick(rates.ours, 'rate'),
            baseline: pick(rates.baseline, 'rate'),
            oursWork: rateWork('caller w in node w mod 3 of a 3-node cluster (registry and pubsub global), each command run on its wallet’s owner'),
            baselineWork: rateWork('all through one node with the local registry and pubsub'),
            notes: [
              'Three processes and PostgreSQL share the machine’s cores, linked over loopback TCP: the figure shows what routing costs and what a second event loop gains on one machine, not the gain of more machines.',
            ],
          }),
        );

        // A fourth node in a process of its own goes away; A routes to its wallets' new owners.
        progress.line(
          'failover: a node in its own process is killed (kill -9) or stopped (SIGTERM); time until all its wallets take commands through node A',
        );
        const victim = (round: number, departure: Departure) => options(`v${round}-${departure}`);
        const failovers = await compare(
          rounds,
          progress,
          {
            ours: (round) => failoverRound(a, nodeA, victim(round, 'kill'), 'kill', `${token}-fk${round}`),
            baseline: (round) => failoverRound(a, nodeA, victim(round, 'stop'), 'stop', `${token}-fs${round}`),
          },
          (f) => `all served again after ${Math.round(f.ms)} ms (median wallet ${Math.round(f.median)} ms)`,
        );
        const failoverWork = (how: string) =>
          `a 4th cluster node in its own process owning ≥12 loaded wallets ${how}; ms until every one of those wallets took a \`dispatch(CreditWallet)\` through node A (the last of them), default heartbeat 500 ms, nodeTimeout ${NODE_TIMEOUT_MS} ms`;
        rows.push(
          benchRow({
            scenario: 'B9',
            case: 'failover: kill -9 vs SIGTERM',
            metric: 'ms',
            better: 'lower',
            ours: pick(failovers.ours, 'ms'),
            baseline: pick(failovers.baseline, 'ms'),
            target: failoverTarget,
            oursWork: failoverWork('killed with SIGKILL (peers notice when its heartbeats stop)'),
            baselineWork: failoverWork('stopped with SIGTERM (it leaves and tells its peers)'),
            notes: ['The target bounds the kill -9 figure alone: the ratio only shows what a clean shutdown saves.'],
          }),
        );
        return rows;
      } finally {
        await Promise.all([...apps.map((app) => app.close()), ...processes.map((node) => node.stop())]);
      }
    }),
};

/** Waits, bounded, until `node` sees `count` members. */
async function untilMembers(node: ClusterNode, count: number): Promise<void> {
  for (let i = 0; i < 100 && node.members.length < count; i++) await new Promise((r) => setTimeout(r, 50));
  if (node.members.length < count) throw new Error(`${node.name} sees ${node.members.length} members, not ${count}, after 5 s`);
}

/** Waits, bounded, until each of the node processes sees all of them as members. */
async function untilProcessesAgree(nodes: NodeProcess[]): Promise<void> {
  let seen: string[][] = [];
  for (let i = 0; i < 200; i++) {
    seen = await Promise.all(nodes.map((node) => node.members()));
    if (seen.every((members) => members.length === nodes.length)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`The node processes see ${seen.map((members) => members.length).join(', ')} members, not ${nodes.length} each, after 10 s`);
}

runIfMain(import.meta.url, b9Cluster);
