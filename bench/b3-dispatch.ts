import { formatNumber } from './bench-progress.js';
import { compare, pick, ratePerSecond } from './bench-measure.js';
import { atLeastTimes, benchRow } from './bench-result.js';
import { scaled } from './bench-config.js';
import { type BenchApp, startBenchApp } from './bench-app.js';
import { CreditWallet } from './bench-domain.js';
import { HandWrittenWallets } from './hand-written-wallets.js';
import { GuardedWallets } from './guarded-wallets.js';
import { median } from './bench-stats.js';
import type { Figures } from './bench-measure.js';
import { runIfMain, type Scenario } from './bench-scenario.js';
import { SeededRandom } from './seeded-random.js';

const AGGREGATES = 1_000;
const COMMANDS = 20_000;

/** A seeded sequence of credits spread over the wallets. */
function workload(seed: number, round: number, count: number): Array<[string, number]> {
  const random = new SeededRandom(seed * 1000 + round);
  return Array.from({ length: count }, () => [`w${random.int(AGGREGATES)}`, 1 + random.int(1000)]);
}

/** B3: command dispatch on the memory store against a hand-written loop doing the same work. */
export const b3Dispatch: Scenario = {
  id: 'B3',
  title: `in-memory dispatch over ${AGGREGATES} aggregates`,
  async run({ config, progress }) {
    const commands = scaled(config, COMMANDS, 100);
    let app: BenchApp | undefined;
    try {
      app = await startBenchApp({ eventStore: { adapter: 'memory' } });
      const gateway = app.gateway;
      const handWritten = new HandWrittenWallets();
      const guarded = new GuardedWallets();
      let delivered = 0;
      handWritten.subscribe(() => delivered++);
      guarded.subscribe(() => delivered++);
      const guardedRates: number[] = [];
      const result = await compare(
        config,
        progress,
        {
          ours: async (round) => {
            const work = workload(config.seed, round, commands);
            const rate = await ratePerSecond(commands, async () => {
              for (const [walletId, amount] of work) await gateway.dispatch(new CreditWallet(walletId, amount));
            });
            return { rate };
          },
          // The guarded loop (the floor) runs in the baseline's turn and goes into the notes.
          baseline: async (round) => {
            const work = workload(config.seed, round, commands);
            const rate = await ratePerSecond(commands, async () => {
              for (const [walletId, amount] of work) await handWritten.credit(walletId, amount);
            });
            const floor = await ratePerSecond(commands, async () => {
              for (const [walletId, amount] of work) await guarded.credit(walletId, amount);
            });
            if (round >= config.warmups) guardedRates.push(floor);
            return { rate, floor };
          },
        },
        (figures: Figures) =>
          `${formatNumber(figures.rate)} commands/s` + (figures.floor ? `; guarded loop ${formatNumber(figures.floor)} commands/s` : ''),
      );
      if (delivered !== 2 * commands * (config.warmups + config.repeats)) throw new Error(`The baselines published ${delivered} events`);
      const bare = median(pick(result.baseline, 'rate'));
      const floor = median(guardedRates);
      const ours = median(pick(result.ours, 'rate'));
      return [
        benchRow({
          scenario: 'B3',
          case: `dispatch 1 command → 1 event over ${AGGREGATES} aggregates, memory store`,
          metric: 'commands/s',
          better: 'higher',
          ours: pick(result.ours, 'rate'),
          baseline: pick(result.baseline, 'rate'),
          target: atLeastTimes(0.3),
          oursWork: `${formatNumber(commands)} sequential \`CommandGateway.dispatch(CreditWallet)\` (eventual consistency) per repeat on the memory store: route, load (first use), execute, serialize, append with expected version, apply, publish on the EventBus and pubsub`,
          baselineWork: `the same ${formatNumber(commands)} seeded commands through a hand-written loop: Map of live states (replayed from a per-stream array on first use), decide, awaited append with a version check and randomUUID event id to arrays, apply, call one subscriber`,
          notes: [
            `The floor: the same loop keeping by hand, with the library's own functions, the guarantees ours keeps (a command id, the data copied as JSON, a UUIDv7 event id refused if already stored, the append under a deadline with its input checked and its payload copied, checked and frozen), run in the baseline's turn: ${guardedRates.map((rate) => formatNumber(rate)).join(', ')} commands/s per repeat, ${(floor / bare).toFixed(2)}× the bare loop (median); ours is ${(ours / floor).toFixed(2)}× it. What ours adds on top is routing, the aggregate's mailbox and eviction order, telemetry, the EventBus and pubsub, and the layers between.`,
          ],
        }),
      ];
    } finally {
      await app?.close();
    }
  },
};

runIfMain(import.meta.url, b3Dispatch);
