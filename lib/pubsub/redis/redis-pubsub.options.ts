/** Redis pub/sub through `@nestjs/microservices`. */
export interface RedisPubSubOptions {
  /**
   * `Transport.REDIS` from `@nestjs/microservices`; its value is spelled here so these types do not
   * need that optional package.
   */
  transport: 1;
  /**
   * Connection settings passed to Nest's Redis transport. Reconnection is on by default:
   * `retryAttempts: Infinity`, `retryDelay: 500`; a publish gives up after `commandTimeout: 1000`.
   */
  options?: { host?: string; port?: number; password?: string; username?: string; db?: number; tls?: object; [key: string]: unknown };
  /**
   * Prepended to every channel name, so applications sharing one Redis never hear each other
   * (a strong dispatch must not be released by another application's projector). @default ''
   */
  channelPrefix?: string;
}
