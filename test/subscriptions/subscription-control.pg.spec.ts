import { TEST_DATABASE_URL } from '../harness/postgres-schema.js';
import { postgresControlStores } from './fixtures/control-stores.js';
import { describeSubscriptionControl } from './subscription-control-conformance.js';

describeSubscriptionControl(
  'postgres',
  postgresControlStores(() => ({ connectionString: TEST_DATABASE_URL })),
);
