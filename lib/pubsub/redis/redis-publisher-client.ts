import { ClientRedis } from '@nestjs/microservices';
import { MutedLogger } from '../../util/muted-logger.js';

/** Nest's Redis client, used to emit events only; connection changes are reported by its owner. */
export class RedisPublisherClient extends ClientRedis {
  protected override readonly logger = new MutedLogger();
}
