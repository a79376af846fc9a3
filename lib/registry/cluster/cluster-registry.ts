import { Logger } from '@nestjs/common';
import type { AggregateManager } from '../../aggregates/aggregate-manager.js';
import type { CommandEnvelope } from '../../aggregates/command-envelope.js';
import type { CommandRouter } from '../../aggregates/command-router.js';
import type { ExecutionResult } from '../../aggregates/execution-result.js';
import type { MembershipChange } from '../../cluster/cluster-membership.js';
import type { ClusterNode } from '../../cluster/cluster-node.js';
import { fromWireError, toWireError } from '../../cluster/wire-error.js';
import { isNodeUnavailable, NodeUnavailableError } from '../../errors/node-unavailable.error.js';
import { isWrongExpectedVersion } from '../../errors/wrong-expected-version.error.js';
import type { EventSerializer } from '../../events/event-serializer.js';
import type { StateCodec } from '../../events/state-codec.js';
import type { Telemetry } from '../../telemetry/telemetry.interface.js';
import type { TraceCarrier } from '../../telemetry/trace-carrier.js';
import type { Registry } from '../registry.interface.js';
import { COMMAND_PATTERN, commandFromWire, commandToWire, resultFromWire, resultToWire, type WireCommand, type WireReply } from './command-wire.js';

/** Refusal of a node that missed its heartbeats past the node timeout. */
class OutOfTouch extends NodeUnavailableError {
  constructor(node: string) {
    super(node, 'out of touch with the cluster (missed heartbeats); retry');
  }
}

/** A command whose aggregate moved to another node while it waited its turn here; it is routed again. */
class Moved extends Error {
  constructor(readonly owner: string) {
    super(`moved to ${owner}`);
  }
}

/** A command is passed on at most twice: by its caller, then once more by a node whose view differs. */
const MAX_HOPS = 2;

/**
 * The global registry: each aggregate instance lives on one node, chosen by rendezvous hashing
 * over the live members. Commands for another node's aggregates are forwarded to it over TCP and
 * answered with the same result or error as a local run. When membership changes, instances
 * that moved are dropped once their queued commands finish; their new owner loads them from the
 * store. The store's expected-version check stays the fence against a stale owner.
 */
export class ClusterRegistry implements Registry {
  private readonly logger = new Logger('ClusterRegistry');
  private leaving = false;

  constructor(
    private readonly node: ClusterNode,
    private readonly router: CommandRouter,
    private readonly aggregates: AggregateManager,
    private readonly serializer: EventSerializer,
    private readonly telemetry: Telemetry,
    private readonly codec: StateCodec,
  ) {
    node.handle(COMMAND_PATTERN, (wire: WireCommand) => this.receive(wire));
    node.onChange((change) => this.handOff(change));
  }

  async init(): Promise<void> {
    await this.node.start();
  }

  /** Leaves first, so peers stop sending here, then lets the commands accepted so far finish. */
  async close(): Promise<void> {
    this.leaving = true;
    await this.node.leave();
    await this.aggregates.close();
  }

  execute(envelope: CommandEnvelope): Promise<ExecutionResult> {
    return this.route(envelope, 0);
  }

  private async route(envelope: CommandEnvelope, hops: number, forwarded = false): Promise<ExecutionResult> {
    const owner = this.node.ownerOf(envelope.streamId);
    if (owner === this.node.name || hops >= MAX_HOPS || !this.node.active) return this.local(envelope, forwarded, hops);
    try {
      return await this.forward(owner, envelope, hops + 1);
    } catch (error) {
      if (!isNodeUnavailable(error)) throw error;
      // The owner died, froze or is leaving: once membership names another owner, try it once.
      const moved = await this.node.whenMembers(() => this.node.ownerOf(envelope.streamId) !== owner, envelope.deadline - Date.now()).settled;
      if (!moved) throw error;
      const retry = { ...envelope, idempotent: true };
      const next = this.node.ownerOf(envelope.streamId);
      this.logger.debug(`Retrying ${envelope.commandName} ${envelope.commandId} on ${next} after ${owner} failed`);
      return next === this.node.name ? this.local(retry, forwarded, hops) : this.forward(next, retry, hops + 1);
    }
  }

  /**
   * Runs the command here, unless this node is out of touch when its turn comes (paused or cut off
   * past the node timeout: another node may own the aggregate now). A forwarded command is then
   * refused, since its sender has given up on it and may have retried it elsewhere; a command from
   * this node's own caller waits for the next heartbeat and is routed again.
   *
   * A stale owner does not keep the aggregate: a command that finds, as its turn comes or after a
   * conflicting append, that membership now names another owner is forwarded there instead of
   * running (again) here.
   */
  private async local(envelope: CommandEnvelope, forwarded = false, hops = 0): Promise<ExecutionResult> {
    const admit = () => {
      if (!this.node.inTouch) throw new OutOfTouch(this.node.name);
      const owner = this.movedTo(envelope, hops);
      if (owner) throw new Moved(owner);
    };
    try {
      return await this.aggregates.execute(this.router.definition(envelope.aggregateType)!, envelope, admit);
    } catch (error) {
      if (error instanceof Moved || (isWrongExpectedVersion(error) && this.movedTo(envelope, hops)))
        return this.reroute(envelope, hops, forwarded, error);
      if (!(error instanceof OutOfTouch) || forwarded) throw error;
      if (!(await this.node.whenMembers(() => this.node.inTouch, envelope.deadline - Date.now()).settled)) throw error;
      return this.route(envelope, hops);
    }
  }

  /** The node that owns the command's aggregate now, when it is not this one and the command may still hop there. */
  private movedTo(envelope: CommandEnvelope, hops: number): string | undefined {
    const owner = this.node.ownerOf(envelope.streamId);
    return owner !== this.node.name && hops < MAX_HOPS && this.node.active ? owner : undefined;
  }

  /** Routes a command again after this node found it no longer owns the aggregate; nothing of it was appended here. */
  private reroute(envelope: CommandEnvelope, hops: number, forwarded: boolean, cause: unknown): Promise<ExecutionResult> {
    const why = cause instanceof Moved ? 'its turn came' : 'a version conflict';
    this.logger.debug(
      `${envelope.streamId} moved to ${this.node.ownerOf(envelope.streamId)} before ${why}; forwarding ${envelope.commandName} ${envelope.commandId}`,
    );
    return this.route(envelope, hops, forwarded);
  }

  /** Sends to `owner`, giving up when it leaves the membership or after the request timeout. */
  private forward(owner: string, envelope: CommandEnvelope, hops: number): Promise<ExecutionResult> {
    return this.telemetry.forward(envelope, owner, (trace) => this.send(owner, envelope, hops, trace));
  }

  private async send(owner: string, envelope: CommandEnvelope, hops: number, trace?: TraceCarrier): Promise<ExecutionResult> {
    const member = this.node.member(owner);
    if (!member) throw new NodeUnavailableError(owner, 'not a member any more');
    const ms = Math.min(this.node.settings.requestTimeout, envelope.deadline - Date.now());
    const gone = this.node.whenMembers(() => !this.node.member(owner), ms);
    const request = this.node.transport.request<WireReply>(owner, member.address, COMMAND_PATTERN, commandToWire(envelope, hops, trace), ms);
    const left = gone.settled.then((yes) =>
      yes ? Promise.reject(new NodeUnavailableError(owner, 'left the cluster')) : new Promise<never>(() => undefined),
    );
    left.catch(() => undefined);
    try {
      const reply = await Promise.race([request, left]);
      if (reply.ok) return resultFromWire(reply.result, this.serializer, this.router, this.codec);
      throw fromWireError(reply.error, owner);
    } finally {
      gone.cancel();
    }
  }

  private async receive(wire: WireCommand): Promise<WireReply> {
    try {
      if (this.leaving) throw new NodeUnavailableError(this.node.name, 'leaving the cluster');
      if (!this.node.inTouch) throw new OutOfTouch(this.node.name);
      const envelope = commandFromWire(wire, this.router);
      const result = await this.telemetry.receive(envelope, wire.trace, () => this.route(envelope, wire.hops, true));
      return { ok: true, result: resultToWire(result, envelope.aggregateType, this.serializer, this.codec) };
    } catch (error) {
      return { ok: false, error: toWireError(error) };
    }
  }

  /** Drops the instances this node no longer owns (all of them when it was cut off for a while). */
  private handOff(change: MembershipChange): void {
    if (change.lapsed) this.aggregates.release(() => true);
    else this.aggregates.release((streamId) => this.node.ownerOf(streamId) !== this.node.name);
  }
}
