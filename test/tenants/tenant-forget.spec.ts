import type { INestApplication } from '@nestjs/common';
import {
  DataSubjects,
  type EventContext,
  EventHandler,
  On,
  SubjectForgotten,
  TenantRequiredError,
  Tenants,
  UnknownTenantError,
} from '../../lib/index.js';
import { createApp } from '../fixtures/create-app.js';
import { Tally } from '../fixtures/tally.js';
import { eventually } from '../harness/eventually.js';

/** Records the tenant each forget was delivered with, as a projector erasing its read model's copy must know it. */
@EventHandler({ name: 'forgets-seen' })
class ForgetsSeen {
  readonly seen: Array<{ subjectId: string; tenant?: string }> = [];

  @On(SubjectForgotten)
  forgotten({ subjectId }: SubjectForgotten, context: EventContext): void {
    this.seen.push({ subjectId, tenant: context.tenant });
  }
}

describe("a tenant's forget", () => {
  let app: INestApplication;

  beforeEach(async () => {
    app = await createApp({
      options: { eventStore: { adapter: 'memory' }, tenants: { initial: ['acme', 'globex'] } },
      aggregates: [Tally],
      providers: [ForgetsSeen],
    });
  });
  afterEach(() => app?.close());

  it("reaches handlers with the tenant whose store recorded it, like a command's events", async () => {
    const tenants = app.get(Tenants);
    await app.get(DataSubjects).forget('holder-1', { tenant: 'acme' });
    await (await tenants.engine('globex')).subjects.forget('holder-2');
    const seen = app.get(ForgetsSeen).seen;
    await eventually(() => expect(seen).toHaveLength(2));
    expect([...seen].sort((a, b) => a.subjectId.localeCompare(b.subjectId))).toEqual([
      { subjectId: 'holder-1', tenant: 'acme' },
      { subjectId: 'holder-2', tenant: 'globex' },
    ]);
    const [recorded] = await (await tenants.engine('acme')).store.readStream('$subject-holder-1');
    expect(recorded.metadata.tenant).toBe('acme');
  });

  it("needs a tenant, and a tenant's engine forgets only in its own tenant", async () => {
    const subjects = app.get(DataSubjects);
    await expect(subjects.forget('holder-3')).rejects.toBeInstanceOf(TenantRequiredError);
    const acme = await app.get(Tenants).engine('acme');
    await expect(acme.subjects.forget('holder-3', { tenant: 'globex' })).rejects.toBeInstanceOf(UnknownTenantError);
    for (const tenant of ['acme', 'globex']) expect(await (await app.get(Tenants).engine(tenant)).store.headPosition()).toBe(0);
  });
});
