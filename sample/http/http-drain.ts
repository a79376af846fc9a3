import type { Server } from 'node:http';

/** The bits of Express the drain needs, so the sample need not import Express itself. */
interface Use {
  use(handler: (req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => void): unknown;
}

/**
 * Lets an HTTP server stop under load. `server.close()` alone waits for every connection to end,
 * and a client on a keep-alive connection that keeps sending never ends its own: the process
 * would answer forever. Once draining, every response says `Connection: close`, so a busy
 * connection ends after the request in hand; idle ones are closed at once; whatever still holds
 * on after `graceMs` is cut.
 */
export class HttpDrain {
  private draining = false;

  /** Registers the middleware that marks responses during the drain; call before `listen`. */
  install(app: Use): void {
    app.use((_req, res, next) => {
      if (this.draining) res.setHeader('Connection', 'close');
      next();
    });
  }

  /** Stops accepting, lets requests in flight finish, and resolves once no connection is left. */
  drain(server: Server, graceMs = 10_000): Promise<void> {
    this.draining = true;
    return new Promise((resolve) => {
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      // A request racing the flag may leave its connection idle-but-open: sweep until closed.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      server.close(() => {
        clearTimeout(cut);
        clearInterval(sweep);
        resolve();
      });
      server.closeIdleConnections();
    });
  }
}
