import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AggregateManager } from '../lib/aggregates/aggregate-manager.js';
import { CommandGateway, type EventSourcingModuleOptions, EventSourcingModule, SubscriptionManager } from '../lib/index.js';
import { PubSub, PubSubChannels } from '../lib/pubsub/pubsub.interface.js';
import { Wallet } from './bench-domain.js';

@Module({})
class BenchAppModule {}

/** A running application with the wallet aggregate and the given projectors. */
export interface BenchApp {
  context: INestApplicationContext;
  gateway: CommandGateway;
  pubsub: PubSub;
  subscriptions: SubscriptionManager;
  aggregates: AggregateManager;
  close(): Promise<void>;
}

/** Starts an application context (no HTTP) the way a user's app would import the module. */
export async function startBenchApp(options: EventSourcingModuleOptions, projectors: Type[] = [], aggregates: Type[] = [Wallet]): Promise<BenchApp> {
  const module: DynamicModule = {
    module: BenchAppModule,
    imports: [EventSourcingModule.forRoot(options), EventSourcingModule.forFeature({ aggregates })],
    providers: projectors,
  };
  const context = await NestFactory.createApplicationContext(module, { logger: ['error', 'warn'], abortOnError: false });
  return {
    context,
    gateway: context.get(CommandGateway),
    pubsub: context.get<symbol, PubSub>(PubSub),
    subscriptions: context.get(SubscriptionManager),
    aggregates: context.get(AggregateManager, { strict: false }),
    close: () => context.close(),
  };
}

/**
 * Resolves once subscription `name` acknowledged `position`, as told on the pubsub; rejects
 * after `timeoutMs` so a stuck subscription fails the scenario instead of hanging it.
 */
export function acknowledged(pubsub: PubSub, name: string, position: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`Subscription '${name}' did not acknowledge position ${position} within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = pubsub.subscribe<{ name: string; position: number }>(PubSubChannels.ack, (ack) => {
      if (ack.name === name && ack.position >= position) {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  });
}
