import { TEST_DATABASE_URL } from '../../harness/postgres-schema.js';
import { postgresEngineStores } from './engine-fixtures.js';
import { describeFilteredSubscriptions } from './filtered-subscription-conformance.js';
import { describeSubscriptionEngine } from './subscription-engine-conformance.js';

const factory = postgresEngineStores(() => ({ connectionString: TEST_DATABASE_URL }));

describeSubscriptionEngine('postgres', factory);
describeFilteredSubscriptions('postgres', factory);
