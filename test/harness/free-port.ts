import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Ports for the processes a test starts, handed out from below the kernel's ephemeral range.
 *
 * A port the kernel picks for `listen(0)` comes from the ephemeral range, the same range every outgoing
 * connection on the machine takes its local port from. Between probing such a port and the child
 * binding it, any connection (a node to PostgreSQL, a worker to Redis) may take it, and the child dies
 * of EADDRINUSE. Outgoing connections never take a port below the range, and each Jest worker gets its
 * own slice of what is below, so only a process outside the suite that binds that port explicitly can
 * take it in between.
 */
const FIRST = 10_000;
const SLICE = 1_500;

function ephemeralStart(): number {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return Number(start) || 32_768;
  } catch {
    return 32_768;
  }
}

function workerSlice(): { start: number; size: number } {
  const slices = Math.max(1, Math.floor((ephemeralStart() - FIRST) / SLICE));
  const worker = Number(process.env.JEST_WORKER_ID ?? 1) - 1;
  return { start: FIRST + (worker % slices) * SLICE, size: SLICE };
}

const slice = workerSlice();
/** Starts at a random place so that a run right after another does not walk the same ports first. */
let next = Math.floor(Math.random() * slice.size);

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago and that this process has not handed out for a while; the caller binds it soon after. */
export async function freePort(): Promise<number> {
  for (let tried = 0; tried < slice.size; tried++) {
    const port = slice.start + (next++ % slice.size);
    if (await bindable(port)) return port;
  }
  throw new Error(`No free port in ${slice.start}-${slice.start + slice.size - 1} on 127.0.0.1`);
}
