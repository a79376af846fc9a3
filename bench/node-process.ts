import { type ChildProcess, spawn } from 'node:child_process';
import type { EventSourcingModuleOptions } from '../lib/index.js';
import type { CreditShare } from './cluster-throughput.js';

const CHILD = new URL('./cluster-node-process.js', import.meta.url).pathname;
/** Four applications starting at once on a busy 2-core machine take seconds each. */
const START_GIVE_UP_MS = 60_000;

/** What the parent asks a node process; each request is answered once, under its id. */
export type NodeRequest = { id: number } & ({ kind: 'members' } | { kind: 'credits'; share: CreditShare });
/** An I/O-bound event handler for a node process to run: `ioMs` per event, spread over `partitions`. */
export interface IoHandlerSpec {
  name: string;
  ioMs: number;
  partitions: number;
}

/** A node process's answer: its member list, or nothing; `error` when the request failed. */
export interface NodeReply {
  id: number;
  members?: string[];
  error?: string;
}

/**
 * An application in a Node.js process of its own (`cluster-node-process.ts`), driven over the IPC
 * channel: a node that runs on its own event loop and can really be killed.
 */
export class NodeProcess {
  private requests = 0;
  private readonly pending = new Map<number, { resolve: (reply: NodeReply) => void; reject: (error: Error) => void }>();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (reply: NodeReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) waiting?.reject(new Error(reply.error));
      else waiting?.resolve(reply);
    });
    child.once('exit', (code, signal) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`The node process exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  /**
   * Starts the application with `options` (and `handler`, an I/O-bound event handler, when given)
   * and resolves once it printed `ready` (joined, when a cluster node).
   */
  static async start(options: EventSourcingModuleOptions, handler?: IoHandlerSpec): Promise<NodeProcess> {
    const child = spawn(process.execPath, [CHILD], {
      env: { ...process.env, B9_NODE_OPTIONS: JSON.stringify(options), ...(handler && { BENCH_IO_HANDLER: JSON.stringify(handler) }) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The node process did not start within ${START_GIVE_UP_MS} ms: ${errors}`)), START_GIVE_UP_MS);
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && (clearTimeout(timer), resolve()));
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`The node process exited (${code}): ${errors}`))));
    }).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    return new NodeProcess(child);
  }

  /** Starts them all at once; when one fails, the others are stopped and the failure thrown. */
  static async startAll(options: EventSourcingModuleOptions[], handler?: IoHandlerSpec): Promise<NodeProcess[]> {
    const started = await Promise.allSettled(options.map((each) => NodeProcess.start(each, handler)));
    const failed = started.find((result) => result.status === 'rejected');
    const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    if (!failed) return nodes;
    await Promise.all(nodes.map((node) => node.stop()));
    throw failed.reason;
  }

  /** The cluster members this node sees (none outside cluster mode). */
  async members(): Promise<string[]> {
    return (await this.request({ kind: 'members' })).members ?? [];
  }

  /** Runs this node's share of a throughput round; resolves when its callers are done. */
  async credits(share: CreditShare): Promise<void> {
    await this.request({ kind: 'credits', share });
  }

  /** SIGTERM (the node leaves cleanly), then waits for the process to exit. */
  async stop(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  /** SIGKILL, unless it already exited. */
  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private request(body: { kind: 'members' } | { kind: 'credits'; share: CreditShare }): Promise<NodeReply> {
    const id = ++this.requests;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, ...body } satisfies NodeRequest);
    });
  }
}
