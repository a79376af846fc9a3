import { pgBouncerForFile } from '../harness/pgbouncer.js';
import { postgresControlStores } from './fixtures/control-stores.js';
import { describeSubscriptionControl } from './subscription-control-conformance.js';

// Through a real PgBouncer in transaction mode: row leases, and a reset or restart (which raises the
// epoch) must still let the owner give its row up and take it again.
const bouncer = pgBouncerForFile();

describeSubscriptionControl(
  'postgres through PgBouncer',
  postgresControlStores(() => ({ connectionString: bouncer.url(), pooler: 'transaction' })),
);
