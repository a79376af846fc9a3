import type { BeforeApplicationShutdown, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';

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
