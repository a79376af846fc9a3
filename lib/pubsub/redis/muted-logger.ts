import { Logger } from '@nestjs/common';

/**
 * A logger that prints nothing. Nest's Redis transport logs every retry attempt of each of its
 * connections; {@link RedisPubSub} reports connection changes once each instead.
 */
export class MutedLogger extends Logger {
  override log(): void {}
  override error(): void {}
  override warn(): void {}
  override debug(): void {}
  override verbose(): void {}
  override fatal(): void {}
}
