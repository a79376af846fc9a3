import type { BeforeApplicationShutdown, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ClusterNode } from './cluster/cluster-node.js';

/** What the module opens and closes: the EventStore, PubSub and Registry ports. */
export interface Port {
  init(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a connection port (event store, pubsub) as the module starts and closes it in the last
 * shutdown phase, after subscriptions and commands have finished with it. A port the application
 * passed in ready-made is opened but left for the application to close: who created it owns it.
 */
export class ConnectionHost<T extends Port> implements OnModuleInit, OnApplicationShutdown {
  constructor(
    readonly port: T,
    private readonly owned: boolean,
  ) {}

  onModuleInit(): Promise<void> {
    return this.port.init();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.owned) await this.port.close();
  }
}

/**
 * Starts the registry once every connection is open (a cluster registry meets its peers through
 * them), and closes it before they close, so the commands it accepted can still finish.
 */
export class RegistryHost<T extends Port> implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(readonly port: T) {}

  onApplicationBootstrap(): Promise<void> {
    return this.port.init();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.port.close();
  }
}

/**
 * Joins the cluster once every connection is open (membership lives in the store), leaves it as
 * shutdown begins (peers stop routing here at once) and closes its links last.
 */
export class ClusterNodeHost implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(readonly node: ClusterNode | null) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.node?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.node?.leave();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.node?.stop();
  }
}
