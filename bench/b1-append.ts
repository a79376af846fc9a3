import { appendScenario } from './append-scenario.js';
import { runIfMain } from './bench-scenario.js';

/** B1: single-event appends with expected version by 16 concurrent writers. */
export const b1Append = appendScenario({
  id: 'B1',
  title: 'append 1 event with expected version, 16 writers, PostgreSQL',
  batchSize: 1,
  eventsPerRound: 6_400,
  writers: 16,
});

runIfMain(import.meta.url, b1Append);
