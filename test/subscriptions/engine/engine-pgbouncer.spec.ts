import { pgBouncerForFile } from '../../harness/pgbouncer.js';
import { postgresEngineStores } from './engine-fixtures.js';
import { describeFilteredSubscriptions } from './filtered-subscription-conformance.js';
import { describeSubscriptionEngine } from './subscription-engine-conformance.js';

// As engine-postgres.spec.ts, through a real PgBouncer in transaction mode.
const bouncer = pgBouncerForFile();
const factory = postgresEngineStores(() => ({ connectionString: bouncer.url(), pooler: 'transaction' }));

describeSubscriptionEngine('postgres through PgBouncer', factory);
describeFilteredSubscriptions('postgres through PgBouncer', factory);
