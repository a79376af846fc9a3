import { Logger } from '@nestjs/common';

/**
 * A logger that prints nothing. Nest's transports log every retry attempt of each of their
 * connections; their owners (RedisPubSub, ClusterTransport) report connection changes once each instead.
 */
export class MutedLogger extends Logger {
  override log(): void {}
  override error(): void {}
  override warn(): void {}
  override debug(): void {}
  override verbose(): void {}
  override fatal(): void {}
}
