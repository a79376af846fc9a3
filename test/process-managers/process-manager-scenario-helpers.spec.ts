import { DomainEvent, type ProcessErrorContext, ProcessErrorDecision, ProcessManager, StartedBy } from '../../lib/index.js';
import { ProcessManagerScenario } from '../../lib/testing/index.js';

@DomainEvent('ShPayoutRequested')
class PayoutRequested {
  constructor(
    readonly payoutId: string,
    readonly accounts: string[],
  ) {}
}

class PayAccount {
  constructor(readonly accountId: string) {}
}

/** Pays each account; a refused payment is retried an hour later. */
@ProcessManager({ name: 'scenario-helpers-payout' })
class Payout {
  static retries: Array<{ attempt: number; at: string }> = [];
  static clock: () => Date = () => new Date();

  @StartedBy(PayoutRequested, (event) => event.payoutId)
  requested(event: PayoutRequested) {
    return event.accounts.map((account) => new PayAccount(account));
  }

  onError(_: unknown, __: object, context: ProcessErrorContext) {
    Payout.retries.push({ attempt: context.attempt, at: Payout.clock().toISOString() });
    return context.attempt < 3 ? ProcessErrorDecision.retry(3_600_000) : ProcessErrorDecision.skip();
  }
}

describe('ProcessManagerScenario helpers', () => {
  beforeEach(() => (Payout.retries = []));

  it('failCommands fails only the commands its function returns an error for; undefined lets one through', async () => {
    const scenario = ProcessManagerScenario.for(Payout);
    Payout.clock = () => scenario.now;
    scenario.failCommands(PayAccount, (command) => (command.accountId === 'b' ? new Error('account b is closed') : undefined));
    await scenario.given(new PayoutRequested('p1', ['a', 'b', 'c']));
    // a and c are sent once each; b is tried three times, then skipped (and c with it, as skip ends the batch).
    expect(scenario.commands()).toEqual([new PayAccount('a'), new PayAccount('b'), new PayAccount('b'), new PayAccount('b')]);
    expect(Payout.retries.map((r) => r.attempt)).toEqual([1, 2, 3]);
  });

  it("an onError retry delay passes on the scenario's clock, not in real time", async () => {
    const start = new Date('2030-01-01T00:00:00Z');
    const scenario = ProcessManagerScenario.for(Payout, { now: start });
    Payout.clock = () => scenario.now;
    scenario.failCommands(PayAccount, () => new Error('refused'));
    // Two retries of an hour each: in real time this step would take two hours.
    await scenario.given(new PayoutRequested('p2', ['a']));
    expect(Payout.retries.map((r) => r.at)).toEqual(['2030-01-01T00:00:00.000Z', '2030-01-01T01:00:00.000Z', '2030-01-01T02:00:00.000Z']);
    expect(scenario.now.toISOString()).toBe('2030-01-01T02:00:00.000Z');
  });
});
