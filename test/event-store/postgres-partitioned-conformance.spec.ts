import { describeAppendInTransactionConformance, describeEventStoreConformance } from '../../lib/store.js';
import { conformanceStore } from './fixtures/conformance-store.js';
import { describeGroupedAppends } from './grouped-append-suite.js';

/** Positions per partition: so small that most streams of the suites span several partitions. */
const RANGE_SIZE = 4;

const fresh = () => conformanceStore({ partitioning: { rangeSize: RANGE_SIZE } }, 'es_part');

describeEventStoreConformance('postgres, partitioned', fresh);
describeAppendInTransactionConformance('postgres, partitioned', fresh);
describeGroupedAppends('postgres, partitioned', fresh, { eventIds: 'partition' });
