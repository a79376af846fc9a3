import type { AddressInfo, Server } from 'node:net';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { NodeUnavailableError } from '../errors/node-unavailable.error.js';
import { addressOf, type HostPort } from './cluster.settings.js';
import type { QuietClientTCP, QuietServerTCP } from './cluster-tcp.js';
import { listenServer } from '../util/listen-server.js';
import { loadOptional } from '../errors/load-optional.js';

/** Nest's TCP classes, from the optional `@nestjs/microservices`; kept out of the published types. */
type ClusterTcp = typeof import('./cluster-tcp.js');

/** Handles a request (its answer is sent back) or an event (no answer). */
export type ClusterHandler = (data: never) => unknown;

/**
 * The links between nodes, on `@nestjs/microservices`' TCP transport: one server per node, one
 * client per peer (connected ahead of time: the first call on a fresh client pays the connect).
 * Nest's `send` never times out by itself, so every request here has a deadline.
 */
export class ClusterTransport {
  private readonly server: QuietServerTCP;
  private readonly clients = new Map<string, QuietClientTCP>();
  private bound?: HostPort;

  /** Loads `@nestjs/microservices` (an optional peer dependency, needed by the cluster mode only) and builds the transport. */
  static async create(listenOn: HostPort): Promise<ClusterTransport> {
    return new ClusterTransport(listenOn, await loadOptional('@nestjs/microservices', 'the cluster mode', () => import('./cluster-tcp.js')));
  }

  // Private, so the published types never name Nest's TCP classes.
  private constructor(
    private readonly listenOn: HostPort,
    private readonly tcp: ClusterTcp,
  ) {
    this.server = new tcp.QuietServerTCP({ host: listenOn.host, port: listenOn.port });
  }

  /** Address actually bound (the real port when 0 was asked for); undefined until listening. */
  get address(): HostPort | undefined {
    return this.bound;
  }

  /** Peers with a client open. */
  get peers(): number {
    return this.clients.size;
  }

  /** Routes `pattern` to `handler`; requests get the handler's result back, events nothing. */
  handle(pattern: string, handler: ClusterHandler, event = false): void {
    this.server.addHandler(pattern, async (data: unknown) => handler(data as never), event);
  }

  /** Starts the server; fails (e.g. EADDRINUSE) instead of retrying. */
  async listen(): Promise<HostPort> {
    await listenServer(this.server);
    const port = (this.server.unwrap<Server>().address() as AddressInfo).port;
    this.bound = { host: this.listenOn.host, port };
    return this.bound;
  }

  /**
   * Opens a client to `address` in the background (no-op when one is open). A client whose
   * connection attempt failed is dropped: Nest's `ClientTCP` keeps that failure and refuses every
   * later call with it, even once the peer listens (a static list names peers that are not up yet),
   * so the next call builds a fresh client.
   */
  connect(address: string): void {
    if (this.clients.has(address)) return;
    const target = /^(.*):(\d+)$/.exec(address)!;
    const client = new this.tcp.QuietClientTCP({ host: target[1], port: Number(target[2]) });
    this.clients.set(address, client);
    client.connect().catch(() => {
      if (this.clients.get(address) !== client) return;
      this.clients.delete(address);
      client.close();
    });
  }

  /** Closes the client to `address`. */
  disconnect(address: string): void {
    this.clients.get(address)?.close();
    this.clients.delete(address);
  }

  /** Sends a request and waits at most `ms` for its answer; any failure is a {@link NodeUnavailableError}. */
  async request<T>(node: string, address: string, pattern: string, data: unknown, ms: number): Promise<T> {
    this.connect(address);
    try {
      return await firstValueFrom(
        this.clients
          .get(address)!
          .send<T>(pattern, data)
          .pipe(timeout({ first: Math.max(1, ms) })),
      );
    } catch (error) {
      const reason = error instanceof TimeoutError ? `no answer within ${Math.round(ms)} ms` : error instanceof Error ? error.message : String(error);
      throw new NodeUnavailableError(node, reason);
    }
  }

  /** Sends an event; best effort, a failure is dropped (the peer may be gone). */
  emit(address: string, pattern: string, data: unknown): void {
    this.connect(address);
    this.clients
      .get(address)!
      .emit(pattern, data)
      .subscribe({ error: () => undefined });
  }

  /** Stops the server and every client. */
  close(): void {
    for (const address of [...this.clients.keys()]) this.disconnect(address);
    if (this.bound) this.server.close();
    this.bound = undefined;
  }

  /** `host:port` of this node's server as bound. */
  toString(): string {
    return this.bound ? addressOf(this.bound) : 'not listening';
  }
}
