import { InvalidOptionsError } from '../errors/invalid-options.error.js';
import type { PubSubOptions } from '../options.js';
import { LocalPubSub } from './local-pubsub.js';
import type { PubSub } from './pubsub.interface.js';

const ACCEPTED = `use 'local' or { transport: Transport.REDIS, options: { host, port } }`;

/**
 * Builds the pubsub transport named by the options. Asynchronous because the Redis transport
 * loads `@nestjs/microservices`, an optional peer dependency, only when it is asked for.
 */
export async function createPubSub(options: PubSubOptions, nodeName: string): Promise<PubSub> {
  if (options === 'local') return new LocalPubSub(nodeName);
  if (options === 'global') {
    throw new InvalidOptionsError([`'pubsub' 'global' needs the cluster mode, which is not available in this version; ${ACCEPTED}`]);
  }
  const { Transport } = await loadMicroservices();
  if (typeof options !== 'object' || options === null || options.transport !== Transport.REDIS) {
    throw new InvalidOptionsError([`'pubsub' ${JSON.stringify(options)} is not supported; ${ACCEPTED}`]);
  }
  const { RedisPubSub } = await import('./redis-pubsub.js');
  return new RedisPubSub(nodeName, options.options, options.channelPrefix);
}

async function loadMicroservices(): Promise<typeof import('@nestjs/microservices')> {
  try {
    return await import('@nestjs/microservices');
  } catch (error) {
    throw new InvalidOptionsError([`'pubsub' with a transport needs the package @nestjs/microservices (${String(error)})`]);
  }
}
