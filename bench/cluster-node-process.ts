import type { EventSourcingModuleOptions } from '../lib/index.js';
import { startBenchApp } from './bench-app.js';

/**
 * One cluster node in a process of its own, for B9's failover rounds: a node that can really be
 * killed. Reads its options as JSON from `B9_NODE_OPTIONS`, prints `ready` once it has joined, and
 * leaves cleanly on SIGTERM.
 */
async function main(): Promise<void> {
  const options = JSON.parse(process.env.B9_NODE_OPTIONS ?? '') as EventSourcingModuleOptions;
  const app = await startBenchApp(options);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
