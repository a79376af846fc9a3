import { b1Append } from './b1-append.js';
import { b2AppendBatch } from './b2-append-batch.js';
import { b3Dispatch } from './b3-dispatch.js';
import { b4CatchUp } from './b4-catch-up.js';
import { b5Latency } from './b5-latency.js';
import { b6Memory } from './b6-memory.js';
import { b7ConcurrentDispatch } from './b7-concurrent-dispatch.js';
import { b8Transfers } from './b8-transfers.js';
import { b9Cluster } from './b9-cluster.js';
import { b10InlineProjection } from './b10-inline-projection.js';
import { b11Telemetry } from './b11-telemetry.js';
import { b12Growth } from './b12-growth.js';
import { b13ClusterScale } from './b13-cluster-scale.js';
import { runScenarios, type Scenario } from './bench-scenario.js';

/** Every scenario, in order; add new ones here. `BENCH_ONLY=B1,B5` runs a subset. */
const ALL: Scenario[] = [
  b1Append,
  b2AppendBatch,
  b3Dispatch,
  b4CatchUp,
  b5Latency,
  b6Memory,
  b7ConcurrentDispatch,
  b8Transfers,
  b9Cluster,
  b10InlineProjection,
  b11Telemetry,
  b12Growth,
  b13ClusterScale,
];

const only = process.env.BENCH_ONLY?.split(',').map((id) => id.trim().toUpperCase());
const chosen = only ? ALL.filter((scenario) => only.includes(scenario.id)) : ALL;
if (!chosen.length) throw new Error(`BENCH_ONLY=${process.env.BENCH_ONLY} names no scenario; known: ${ALL.map((s) => s.id).join(', ')}`);

await runScenarios(chosen, 'latest');
