import { spawn, type ChildProcess } from 'node:child_process';
import { killChild, trackChild } from './child-registry.js';
import { freePort } from './free-port.js';
import { HttpClient } from './http-client.js';
import { REPO_ROOT, SAMPLE_MAIN } from './sample-build.js';

/** How to start one node. */
export interface SampleNodeOptions {
  /** NODE_NAME, also used in error messages. */
  name: string;
  /** Mode and connection variables (EVENT_STORE, PUBSUB, REDIS_URL, ...). PORT and NODE_NAME are set by the harness. */
  env?: Record<string, string>;
  /** Fixed HTTP port; a free one otherwise. Kept across restarts. */
  port?: number;
  /** Give up on `listening on` after this many ms: only stops a node that never starts, so generous for a busy machine. @default 120000 */
  readyTimeout?: number;
}

/** One line a node printed, and when the harness read it (ms since the epoch). */
interface LogLine {
  line: string;
  at: number;
  stderr: boolean;
}

/** How a node process ended. */
export interface NodeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

// The parent's sample settings and Jest's NODE_OPTIONS must not leak into the nodes.
const INHERITED_OUT = [
  'NODE_OPTIONS',
  'PORT',
  'NODE_NAME',
  'EVENT_STORE',
  'EVENT_STORE_SCHEMA',
  'DATABASE_URL',
  'REGISTRY',
  'PUBSUB',
  'REDIS_URL',
  'CLUSTER_PORT',
  'CLUSTER_HOST',
  'CLUSTER_NODES',
  'CLUSTER_HEARTBEAT_INTERVAL',
  'CLUSTER_NODE_TIMEOUT',
  'LOCK_RETRY_INTERVAL',
  'LEDGER_PARTITIONS',
  'TENANTS',
];
const MAX_LOG_LINES = 5000;

/**
 * One real `node dist/sample/main.js` process. Start it, talk to it over HTTP, and crash, freeze,
 * stop or restart it; its output is kept for assertions and for failure messages.
 */
export class SampleNode {
  readonly name: string;
  port: number;
  private child?: ChildProcess;
  private exit?: Promise<NodeExit>;
  private readonly output: LogLine[] = [];

  constructor(private readonly options: SampleNodeOptions) {
    this.name = options.name;
    this.port = options.port ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A JSON client bound to this node. */
  get http(): HttpClient {
    return new HttpClient(this.url);
  }

  /** True from spawn until the process exits (a paused node is running). */
  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Everything the node printed, stdout and stderr interleaved, across restarts. */
  logs(): string {
    return this.output.map((entry) => entry.line).join('\n');
  }

  /** What the node printed on stderr only, across restarts. */
  stderr(): string {
    return this.output
      .filter((entry) => entry.stderr)
      .map((entry) => entry.line)
      .join('\n');
  }

  /** Spawns the process and resolves once it logs `listening on <port>`. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`Node ${this.name} is already running`);
    if (!this.port) this.port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of INHERITED_OUT) delete env[key];
    const child = trackChild(
      spawn(process.execPath, [SAMPLE_MAIN], {
        cwd: REPO_ROOT,
        // NO_COLOR keeps Nest's log lines free of escape codes, so tests can match them.
        env: { ...env, NO_COLOR: '1', ...this.options.env, PORT: String(this.port), NODE_NAME: this.name },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const ready = new Promise<void>((resolve) => this.capture(child, (line) => /listening on \d+/.test(line) && resolve()));
    await this.race(ready, this.options.readyTimeout ?? 120_000, 'to log "listening on"');
  }

  /** SIGKILL: the process dies at once, holding whatever it held. */
  async kill(): Promise<NodeExit> {
    return this.signalAndWait('SIGKILL');
  }

  /** SIGTERM (after SIGCONT if paused), then waits for the clean exit; SIGKILL after `timeout` ms and throws. */
  async stop(timeout = 15_000): Promise<NodeExit> {
    const child = this.child;
    if (!child || !this.running) return this.exit ?? { code: null, signal: null };
    const exited = killChild(child, 'SIGTERM');
    const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), timeout).unref());
    if ((await Promise.race([exited, timer])) === 'late') {
      await killChild(child, 'SIGKILL');
      throw new Error(`Node ${this.name} did not exit within ${timeout} ms of SIGTERM\n${this.tail()}`);
    }
    return this.exit!;
  }

  /** SIGSTOP: the process freezes, sockets stay open, nothing answers. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT after {@link pause}. */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Stops the node if it runs (SIGTERM) and starts it again on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Resolves once a line matching `pattern` has been printed (earlier lines count). */
  async waitForLog(pattern: RegExp, timeout = 60_000): Promise<string> {
    return (await this.waitForLine(pattern, 0, timeout)).line;
  }

  /**
   * When the first line matching `pattern` printed at or after `since` (ms since the epoch) was
   * read, waiting for it up to `timeout` ms: the moment the node acted, without the delay of
   * polling it over HTTP, which grows when the machine is busy.
   */
  async loggedAt(pattern: RegExp, since: number, timeout = 60_000): Promise<number> {
    return (await this.waitForLine(pattern, since, timeout)).at;
  }

  /** The last lines of output, for error messages. */
  tail(lines = 40): string {
    return `--- last output of ${this.name} ---\n${this.output
      .slice(-lines)
      .map((entry) => entry.line)
      .join('\n')}`;
  }

  private async waitForLine(pattern: RegExp, since: number, timeout: number): Promise<LogLine> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = this.output.find((entry) => entry.at >= since && pattern.test(entry.line));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`Node ${this.name} did not log ${pattern} within ${timeout} ms\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async signalAndWait(signal: NodeJS.Signals): Promise<NodeExit> {
    if (this.child) await killChild(this.child, signal);
    return this.exit ?? { code: null, signal: null };
  }

  private capture(child: ChildProcess, onLine: (line: string) => void): void {
    for (const stream of [child.stdout!, child.stderr!]) {
      const stderr = stream === child.stderr;
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
          this.output.push({ line, at: Date.now(), stderr });
          onLine(line);
        }
        if (this.output.length > MAX_LOG_LINES) {
          this.output.splice(0, this.output.length - MAX_LOG_LINES);
        }
      });
    }
  }

  /** Waits for `ready`, failing early if the process exits or `timeout` passes. */
  private async race(ready: Promise<void>, timeout: number, what: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const failed = Promise.race([
      this.exit!.then((exit) => `exited (${exit.signal ?? `code ${exit.code}`})`),
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`did not manage within ${timeout} ms`), timeout))),
    ]);
    try {
      const outcome = await Promise.race([ready.then(() => undefined), failed]);
      if (outcome === undefined) return;
      if (this.running) await killChild(this.child!, 'SIGKILL');
      throw new Error(`Node ${this.name} ${outcome} ${what}\n${this.tail()}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
