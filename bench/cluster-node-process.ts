import { CLUSTER_NODE, type ClusterNode } from '../lib/cluster/cluster-node.js';
import type { EventSourcingModuleOptions } from '../lib/index.js';
import { type BenchApp, startBenchApp } from './bench-app.js';
import { creditShare } from './cluster-throughput.js';
import type { IoHandlerSpec, NodeReply, NodeRequest } from './node-process.js';
import { ioHandlerOf } from './bench-engine-domain.js';

const messageOf = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** Answers one request of the parent (see `NodeProcess`). */
async function answer(app: BenchApp, request: NodeRequest): Promise<NodeReply> {
  try {
    if (request.kind === 'members')
      return { id: request.id, members: [...(app.context.get<symbol, ClusterNode | null>(CLUSTER_NODE)?.members ?? [])] };
    await creditShare(app.gateway, request.share);
    return { id: request.id };
  } catch (error) {
    return { id: request.id, error: messageOf(error) };
  }
}

/**
 * One application in a process of its own, for B9 (and B4's spread handler, from `BENCH_IO_HANDLER`): a node that can really be killed, on an event
 * loop of its own. Reads its options as JSON from `B9_NODE_OPTIONS`, prints `ready` once started
 * (joined, for a cluster node), answers the parent's requests over IPC, and leaves cleanly on
 * SIGTERM or when the parent goes away.
 */
async function main(): Promise<void> {
  const options = JSON.parse(process.env.B9_NODE_OPTIONS ?? '') as EventSourcingModuleOptions;
  const io = process.env.BENCH_IO_HANDLER ? (JSON.parse(process.env.BENCH_IO_HANDLER) as IoHandlerSpec) : undefined;
  const app = await startBenchApp(options, io ? [ioHandlerOf(io.name, 1, io.ioMs, { events: 0 }, io.partitions)] : []);
  const leave = () => void app.close().then(() => process.exit(0));
  process.once('SIGTERM', leave);
  process.once('disconnect', leave);
  process.on('message', (request: NodeRequest) => void answer(app, request).then((reply) => process.send?.(reply)));
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${messageOf(error)}\n`);
  process.exit(1);
});
