import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import type { SubscriptionLease } from '../../lib/event-store/subscription-lease.interface.js';
import { killChild, trackChild } from '../harness/child-registry.js';
import { eventually } from '../harness/eventually.js';
import { pgBouncerForFile } from '../harness/pgbouncer.js';
import { type TestSchema, testSchema, withClient } from '../harness/postgres-schema.js';
import { ensureSampleBuilt } from '../harness/sample-build.js';

const HOLDER = join(import.meta.dirname, 'fixtures', 'lease-holder-process.mjs');
/** Long beside a busy machine's stalls, so a running holder keeps its lease; the test waits one out once. */
const LEASE_TIMEOUT = 5000;

const bouncer = pgBouncerForFile();

/** A process holding subscription `name` through the pooler; `lines` is what it printed, in order. */
function startHolder(schema: string, name: string) {
  const child: ChildProcess = trackChild(
    spawn(process.execPath, [HOLDER, bouncer.url(), schema, name, String(LEASE_TIMEOUT)], { stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  const lines: string[] = [];
  const errors: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  /** Sends a request; answers the first reply to it (`saved <n>` or `refused <code>`). */
  const answer = async (request: string) => {
    const from = lines.length;
    child.stdin!.write(`${request}\n`);
    return eventually(() => {
      const found = lines.slice(from).find((line) => /^(saved|refused) /.test(line));
      expect(found).toBeDefined();
      return found!;
    });
  };
  return { child, lines, errors, answer };
}

describe('two processes contending for one subscription lease through PgBouncer', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;

  beforeAll(() => ensureSampleBuilt(), 180_000);
  beforeEach(async () => {
    schema = await testSchema('es_paused');
    store = new PostgresEventStore({
      connectionString: bouncer.url(),
      pooler: 'transaction',
      leaseTimeout: LEASE_TIMEOUT,
      schema: schema.name,
      poolSize: 3,
    });
    await store.init();
    // Every takeover of a held row, stamped by the database as it happens, with the expiry it overrode.
    await withClient((client) =>
      client.query(`
        CREATE TABLE "${schema.name}".takeovers (name text, at timestamptz, expired_at timestamptz, epoch bigint);
        CREATE FUNCTION "${schema.name}".note_takeover() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.lease_epoch IS DISTINCT FROM OLD.lease_epoch AND NEW.lease_epoch IS NOT NULL THEN
            INSERT INTO "${schema.name}".takeovers VALUES (NEW.name, clock_timestamp(), OLD.lease_expires_at, NEW.lease_epoch);
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER note_takeover BEFORE UPDATE ON "${schema.name}".subscriptions FOR EACH ROW EXECUTE FUNCTION "${schema.name}".note_takeover();`),
    );
  });
  afterEach(async () => {
    await store.close();
    await schema.drop();
  });

  it('takes over from a paused holder only after its lease expired; the holder, resumed, cannot checkpoint', async () => {
    const holder = startHolder(schema.name, 'projector');
    await eventually(() => expect(holder.lines).toContain('held 1'), { timeout: 30_000 });
    expect(await holder.answer('checkpoint 2')).toBe('saved 2');
    expect(await store.acquireSubscription('projector', 'contender')).toBeUndefined();

    holder.child.kill('SIGSTOP');
    const taken: SubscriptionLease = await eventually(
      async () => {
        const lease = await store.acquireSubscription('projector', 'contender');
        expect(lease).toBeDefined();
        return lease!;
      },
      { interval: 100 },
    );
    expect(taken.epoch).toBe(2);
    expect(taken.granted.progress.checkpoint).toBe(2);
    const takeovers = await withClient(
      async (client) =>
        (
          await client.query<{ epoch: string; after_expiry: boolean }>(
            `SELECT epoch, at >= expired_at AS after_expiry FROM "${schema.name}".takeovers`,
          )
        ).rows,
    );
    // The holder never let go: the row was still its own, and was taken only once its expiry had passed.
    expect(takeovers).toEqual([{ epoch: '2', after_expiry: true }]);
    await taken.saveCheckpoint(3);

    holder.child.kill('SIGCONT');
    expect(await holder.answer('checkpoint 7')).toBe('refused SUBSCRIPTION_LOST');
    await eventually(() => expect(holder.lines).toContain('lost'));
    expect(await store.readCheckpoint('projector')).toBe(3);
    expect(taken.lost).toBe(false);
    await taken.saveCheckpoint(4);
    expect(holder.errors).toEqual([]);
    await killChild(holder.child, 'SIGTERM');
  }, 120_000);
});
