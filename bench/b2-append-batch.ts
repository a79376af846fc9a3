import { appendScenario } from './append-scenario.js';
import { runIfMain } from './bench-scenario.js';

/** B2: appends of 100-event batches by 16 concurrent writers. */
export const b2AppendBatch = appendScenario({
  id: 'B2',
  title: 'append batches of 100 events, 16 writers, PostgreSQL',
  batchSize: 100,
  eventsPerRound: 64_000,
  writers: 16,
});

runIfMain(import.meta.url, b2AppendBatch);
