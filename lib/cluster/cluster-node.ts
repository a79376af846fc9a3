import { Logger } from '@nestjs/common';
import { InvalidOptionsError } from '../errors/invalid-options.error.js';
import type { MemberTable } from '../event-store/member-table.interface.js';
import { addressOf, type ClusterSettings } from './cluster.settings.js';
import { type ClusterMember, ClusterMembership, type MembershipChange } from './cluster-membership.js';
import type { ClusterStatus } from './cluster-status.js';
import type { ClusterHandler, ClusterTransport } from './cluster-transport.js';
import { ownerOf } from './rendezvous.js';
import { PING_PATTERN, StaticMemberTable } from './static-member-table.js';

/** Injection token of this node's {@link ClusterNode}, `null` outside cluster mode. */
export const CLUSTER_NODE = Symbol('ClusterNode');

/** Event a node sends its peers as it shuts down cleanly, so they drop it at once. */
const LEAVE_PATTERN = 'es.cluster.leave';

/**
 * One node of the cluster: its TCP transport and its membership, shared by the global registry
 * and the global pubsub. Started once every connection is open, left before anything closes.
 */
export class ClusterNode {
  private readonly logger = new Logger('ClusterNode');
  private membership?: ClusterMembership;
  private staticTable?: StaticMemberTable;
  private readonly changeListeners = new Set<(change: MembershipChange) => void>();
  private started?: Promise<void>;
  private left?: Promise<void>;
  private readonly startedAt = Date.now();

  constructor(
    readonly settings: ClusterSettings,
    private readonly storeMembers: MemberTable | undefined,
    /** Built with {@link ClusterTransport.create}. */
    readonly transport: ClusterTransport,
  ) {
    if (settings.discovery === 'store' && !storeMembers) {
      throw new InvalidOptionsError([
        `'cluster.discovery' 'store' needs an event store that records members (postgres, embedded or memory); use { nodes: [...] }`,
      ]);
    }
    this.transport.handle(LEAVE_PATTERN, (name: string) => this.peerLeft(name), true);
  }

  get name(): string {
    return this.settings.nodeName;
  }

  /** True once this node has joined and until it leaves. */
  get active(): boolean {
    return !!this.membership && !this.left;
  }

  /** False when this node has not heartbeaten within the node timeout: its peers may have dropped it. */
  get inTouch(): boolean {
    return this.membership?.fresh ?? true;
  }

  /** Live member names (this node included once started). */
  get members(): readonly string[] {
    return this.membership?.names ?? [];
  }

  /** Peers: every live member but this node. */
  peers(): ClusterMember[] {
    return (this.membership?.members ?? []).filter((m) => m.name !== this.name);
  }

  member(name: string): ClusterMember | undefined {
    return this.membership?.member(name);
  }

  /** The member owning `key` (rendezvous hashing over the live members). */
  ownerOf(key: string): string {
    return ownerOf(key, this.members) ?? this.name;
  }

  /**
   * Resolves true as soon as `predicate` holds for the member list (checked now and after each
   * change), false after `ms`. `cancel` releases the wait early.
   */
  whenMembers(predicate: () => boolean, ms: number): { settled: Promise<boolean>; cancel: () => void } {
    if (predicate()) return { settled: Promise.resolve(true), cancel: () => undefined };
    let cancel = () => undefined as void;
    const settled = new Promise<boolean>((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(value);
      };
      const timer = setTimeout(() => done(false), Math.max(0, ms));
      const unsubscribe = this.onChange(() => predicate() && done(true));
      cancel = () => done(false);
    });
    return { settled, cancel };
  }

  /** Routes requests or events with `pattern` to `handler`. */
  handle(pattern: string, handler: ClusterHandler, event = false): void {
    this.transport.handle(pattern, handler, event);
  }

  /** Calls `listener` after each membership change. */
  onChange(listener: (change: MembershipChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Listens, registers, learns the members. Idempotent. */
  start(): Promise<void> {
    this.started ??= this.join();
    return this.started;
  }

  /**
   * Leaves the cluster at once: peers are told first, so they own this node's aggregates without
   * waiting for the store, then the member record goes (for peers that missed the message). The
   * transport stays up for answers in flight. Idempotent.
   */
  leave(): Promise<void> {
    if (!this.started) return Promise.resolve();
    this.left ??= this.started.then(async () => {
      for (const peer of this.peers()) this.transport.emit(peer.address, LEAVE_PATTERN, this.name);
      await this.membership!.leave();
      this.logger.log(`Node ${this.name} left the cluster`);
    });
    return this.left;
  }

  /** Closes the transport. */
  async stop(): Promise<void> {
    await this.leave().catch(() => undefined);
    this.membership?.stop();
    this.transport.close();
  }

  status(): ClusterStatus {
    const own = this.transport.address ?? this.settings.listen;
    return {
      node: this.name,
      address: addressOf(this.settings.advertise ?? own),
      listening: this.transport.address !== undefined,
      active: this.active,
      discovery: this.settings.discovery === 'store' ? 'store' : 'static',
      members: (this.membership?.members ?? [])
        .map((m) => ({ name: m.name, address: m.address, since: m.since }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      links: this.transport.peers,
    };
  }

  private async join(): Promise<void> {
    const bound = await this.transport.listen();
    const advertised = this.settings.advertise ?? bound;
    const self = { name: this.name, host: advertised.host, port: advertised.port, startedAt: this.startedAt };
    this.transport.handle(PING_PATTERN, () => self);
    const { discovery } = this.settings;
    if (discovery !== 'store') {
      const pingTimeout = Math.min(this.settings.requestTimeout, this.settings.heartbeatInterval);
      this.staticTable = new StaticMemberTable(this.transport, discovery.nodes, pingTimeout);
    }
    const table = this.staticTable ?? this.storeMembers!;
    this.membership = new ClusterMembership(self, table, this.settings);
    this.membership.onChange((change) => this.changed(change));
    await this.membership.start();
    this.logger.log(`Node ${this.name} joined the cluster at ${addressOf(advertised)}; members: ${this.members.join(', ')}`);
  }

  private changed(change: MembershipChange): void {
    for (const m of change.left) if (!this.member(m.name) || this.member(m.name)!.address !== m.address) this.transport.disconnect(m.address);
    for (const m of change.joined) if (m.name !== this.name) this.transport.connect(m.address);
    for (const listener of this.changeListeners) listener(change);
  }

  private peerLeft(name: string): void {
    if (this.member(name)) this.logger.log(`Node ${name} announced it is leaving; its aggregates move now`);
    this.staticTable?.forget(name);
    this.membership?.drop(name);
  }
}
