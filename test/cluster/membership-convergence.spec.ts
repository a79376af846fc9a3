import { Logger } from '@nestjs/common';
import { MemberCrowd } from '../../bench/member-crowd.js';
import { ownerOf } from '../../lib/cluster/rendezvous.js';
import { PostgresEventStore } from '../../lib/event-store/sql/pg/postgres-event-store.js';
import { TEST_DATABASE_URL, type TestSchema, testSchema } from '../harness/postgres-schema.js';

const MEMBERS = 20;
const KEYS = Array.from({ length: 4000 }, (_, i) => `account-${i}`);
/** Fast heartbeats; the default node timeout, so a busy machine does not drop a live member. */
const TIMING = { heartbeatInterval: 100, nodeTimeout: 3000 };

describe('cluster membership: 20 members in one process over PostgreSQL', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;
  let crowd: MemberCrowd;

  beforeAll(async () => {
    // Twenty members would each log every change with the whole member list.
    Logger.overrideLogger(['error', 'warn']);
    schema = await testSchema();
    store = new PostgresEventStore({ connectionString: TEST_DATABASE_URL, schema: schema.name, poolSize: 4 });
    await store.init();
    crowd = new MemberCrowd(store.members, 'member', TIMING);
  });
  afterAll(async () => {
    await crowd?.close();
    await store?.close();
    await schema?.drop();
  });

  /** Every live member lists exactly the live members. */
  const expectAgreement = () => {
    for (const [name, view] of crowd.views) expect({ name, view }).toEqual({ name, view: crowd.names });
  };

  it('agrees on the members after joins, a clean leave and a crash, and gives each aggregate one owner all agree on', async () => {
    await crowd.grow(MEMBERS);
    expectAgreement();

    await crowd.join();
    await crowd.join();
    expectAgreement();
    const [leaver, crashed] = [crowd.names[3], crowd.names[11]];
    await crowd.leave(leaver);
    expectAgreement();
    await crowd.crash(crashed);
    expectAgreement();

    const live = crowd.names;
    expect(live).toHaveLength(MEMBERS);
    expect(live).not.toContain(leaver);
    expect(live).not.toContain(crashed);
    const owned = new Map<string, number>();
    for (const key of KEYS) {
      const owners = new Set([...crowd.views.values()].map((view) => ownerOf(key, view)));
      expect({ key, owners: [...owners] }).toEqual({ key, owners: [expect.any(String)] });
      const [owner] = owners;
      owned.set(owner!, (owned.get(owner!) ?? 0) + 1);
    }
    // Every live member owns a share, and nothing else does.
    expect([...owned.keys()].sort()).toEqual(live);
  });
});
