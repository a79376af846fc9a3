import { randomBytes } from 'node:crypto';
import { CLUSTER_NODE, type ClusterNode } from '../lib/cluster/cluster-node.js';
import type { EventSourcingModuleOptions } from '../lib/index.js';
import { type BenchApp, startBenchApp } from './bench-app.js';
import { scaled } from './bench-config.js';
import { CreditWallet, LookAtWallet, WALLET_PREFIX } from './bench-domain.js';
import { compare, type Figures, latencyFigures, pick } from './bench-measure.js';
import { withDatabase } from './bench-postgres.js';
import { atMostPlus, benchRow, type BenchRow } from './bench-result.js';
import { runIfMain, type Scenario } from './bench-scenario.js';

const SAMPLES = 1_000;
const WALLETS = 200;

/** Wallet ids (with `token`) that `owner` owns in `node`'s view. */
function walletsOwnedBy(node: ClusterNode, owner: string, token: string): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < WALLETS && i < WALLETS * 10; i++)
    if (node.ownerOf(`${WALLET_PREFIX}${token}-${i}`) === owner) ids.push(`${token}-${i}`);
  return ids;
}

/** B9: a command forwarded to its owner over the cluster's TCP link, against the same command run locally. */
export const b9Cluster: Scenario = {
  id: 'B9',
  title: 'cluster: forwarded dispatch against local dispatch, PostgreSQL, two nodes over loopback TCP',
  run: ({ config, progress }) =>
    withDatabase(config.databaseUrl, async (db) => {
      const samples = scaled(config, SAMPLES, 100);
      const rounds = { warmups: config.warmups, repeats: Math.min(config.repeats, 3) };
      const token = randomBytes(4).toString('hex');
      const schema = await db.migratedSchema('b9_cluster');
      const options = (name: string): EventSourcingModuleOptions => ({
        eventStore: { adapter: 'postgres', connectionString: config.databaseUrl, schema },
        registry: 'global',
        pubsub: 'global',
        nodeName: `bench-b9-${name}-${token}`,
        cluster: { listen: { host: '127.0.0.1', port: 0 } },
      });
      const apps: BenchApp[] = [];
      try {
        apps.push(await startBenchApp(options('a')), await startBenchApp(options('b')));
        const [a, b] = apps;
        const nodeA = a.context.get<symbol, ClusterNode>(CLUSTER_NODE);
        const nameB = b.context.get<symbol, ClusterNode>(CLUSTER_NODE).name;
        for (let i = 0; i < 100 && nodeA.members.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
        if (nodeA.members.length < 2) throw new Error('The two nodes did not see each other within 5 s');
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
        return (['p50', 'p99'] as const).map((key): BenchRow =>
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
      } finally {
        await Promise.all(apps.map((app) => app.close()));
      }
    }),
};

runIfMain(import.meta.url, b9Cluster);
