import { ClientTCP, ServerTCP } from '@nestjs/microservices';
import { MutedLogger } from '../util/muted-logger.js';

/**
 * Nest's TCP server, quiet: a peer killed mid-message makes its socket fail, which is normal in
 * a cluster; membership reports the peer's departure once instead.
 */
export class QuietServerTCP extends ServerTCP {
  protected override readonly logger = new MutedLogger();
}

/** Nest's TCP client, quiet for the same reason: a refused connection to a dead peer is expected. */
export class QuietClientTCP extends ClientTCP {
  protected override readonly logger = new MutedLogger();
}
