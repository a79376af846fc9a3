import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { trackChild, killChild } from './child-registry.js';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';

/** A `redis-server` of a test's own, on its own port, that the test may stop and restart. */
export interface RedisServerHandle {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server abruptly (SIGKILL), as a crash or a network cut would look to clients. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Stops it for good. */
  stop(): Promise<void>;
}

/** Answers true once a Redis on `port` replies to PING. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500, () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

async function launch(port: number): Promise<ChildProcess> {
  const child = trackChild(
    spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    }),
  );
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited with code ${code}`))),
  );
  exited.catch(() => undefined);
  await Promise.race([
    exited,
    eventually(async () => {
      if (!(await pong(port))) throw new Error(`redis-server on port ${port} does not answer PING`);
    }),
  ]);
  return child;
}

/**
 * Starts `redis-server` (it must be on the PATH: a missing binary fails the test) on a free port,
 * or on `port`, with persistence off.
 */
export async function startRedisServer(port?: number): Promise<RedisServerHandle> {
  const chosen = port ?? (await freePort());
  let child = await launch(chosen);
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    kill: () => killChild(child, 'SIGKILL'),
    restart: async () => {
      await killChild(child, 'SIGKILL');
      child = await launch(chosen);
    },
    stop: () => killChild(child, 'SIGTERM'),
  };
}
