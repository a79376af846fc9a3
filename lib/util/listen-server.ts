/** A Nest microservice server: `listen` reports a bind failure through its callback. */
interface ListeningServer {
  listen(callback: (error?: unknown) => void): unknown;
}

/** Starts `server`; rejects with the bind error (EADDRINUSE, say) instead of retrying. */
export function listenServer(server: ListeningServer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    void server.listen((error?: unknown) => (error ? reject(error instanceof Error ? error : new Error(JSON.stringify(error))) : resolve()));
  });
}
