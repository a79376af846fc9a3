import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

// A test that crashes or times out must not leave servers running on the machine.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Remembers `child` until it exits, so {@link killAllChildren} and process exit can reach it. */
export function trackChild(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGKILLs every tracked child still running and waits for them to exit. */
export async function killAllChildren(): Promise<void> {
  await Promise.all([...live].map((child) => killChild(child, 'SIGKILL')));
}

/** Sends `signal` (resuming a stopped child first) and resolves once the child has exited. */
export function killChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A stopped process does not act on SIGTERM until it runs again.
  if (signal !== 'SIGKILL') child.kill('SIGCONT');
  child.kill(signal);
  return exited;
}
