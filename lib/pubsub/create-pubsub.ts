import { InvalidOptionsError } from '../errors/invalid-options.error.js';
import type { PubSubOptions } from '../options.js';
import { LocalPubSub } from './local-pubsub.js';
import type { PubSub } from './pubsub.interface.js';

/** Builds the pubsub transport named by the options. */
export function createPubSub(options: PubSubOptions, nodeName: string): PubSub {
  if (options === 'local') return new LocalPubSub(nodeName);
  throw new InvalidOptionsError([`'pubsub' ${JSON.stringify(options)} is not available in this version; use 'local'`]);
}
