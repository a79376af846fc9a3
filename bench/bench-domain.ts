import { Aggregate, Apply, DomainEvent, type EventContext, Execute, type NewEvent, On, Projector } from '../lib/index.js';
import { uuidV7 } from '../lib/util/uuid-v7.js';
import type { SeededRandom } from './seeded-random.js';

/** Stored type name of {@link WalletCredited}. */
export const WALLET_CREDITED = 'WalletCredited';
/** Stream id prefix of {@link Wallet}. */
export const WALLET_PREFIX = 'wallet-';

@DomainEvent(WALLET_CREDITED)
export class WalletCredited {
  constructor(
    readonly walletId: string,
    readonly amount: number,
    readonly balance: number,
  ) {}
}

export class CreditWallet {
  constructor(
    readonly walletId: string,
    readonly amount: number,
  ) {}
}

/** Loads the wallet and changes nothing: makes an instance live without writing. */
export class LookAtWallet {
  constructor(readonly walletId: string) {}
}

/** The benchmarks' aggregate: small state, one event per credit. */
@Aggregate({ identity: 'walletId', prefix: WALLET_PREFIX })
export class Wallet {
  balance = 0;
  credits = 0;

  @Execute(CreditWallet)
  credit({ walletId, amount }: CreditWallet) {
    return new WalletCredited(walletId, amount, this.balance + amount);
  }

  @Execute(LookAtWallet)
  look() {
    return [];
  }

  @Apply(WalletCredited)
  credited(event: WalletCredited) {
    this.balance = event.balance;
    this.credits++;
  }
}

/** A stored credit as the library writes it, for appends that bypass the aggregate. */
export function creditEvent(random: SeededRandom, walletId: string): NewEvent {
  const amount = 1 + random.int(1000);
  return { eventId: uuidV7(), eventType: WALLET_CREDITED, data: { walletId, amount, balance: amount }, metadata: { schemaVersion: 1 } };
}

/** An in-memory read model: credits and balance per wallet. */
export class WalletTotals {
  readonly byWallet = new Map<string, { credits: number; balance: number }>();
  events = 0;

  add(walletId: string, amount: number): void {
    const entry = this.byWallet.get(walletId);
    if (entry) {
      entry.credits++;
      entry.balance += amount;
    } else {
      this.byWallet.set(walletId, { credits: 1, balance: amount });
    }
    this.events++;
  }
}

/** A projector class named `name` that folds credits into `totals` (no SQL). */
export function memoryProjectorOf(name: string, totals: WalletTotals, consistency: 'strong' | 'eventual' = 'eventual') {
  @Projector({ name, consistency })
  class WalletTotalsProjector {
    @On(WalletCredited)
    credited(event: WalletCredited) {
      totals.add(event.walletId, event.amount);
    }
  }
  return WalletTotalsProjector;
}

/** Read-model table of the SQL projector, created by {@link createWalletTable}. */
export const walletTable = (schema: string, name: string): string => `"${schema}"."${name}"`;

/** DDL of the SQL read model: one row per wallet. */
export const walletTableDdl = (table: string): string =>
  `CREATE TABLE ${table} (wallet_id text PRIMARY KEY, credits integer NOT NULL, balance bigint NOT NULL, position bigint NOT NULL)`;

/** The read model's write for one credit; the SQL projector and the raw baselines run the same statement. */
export const walletUpsert = (table: string): string =>
  `INSERT INTO ${table} AS w (wallet_id, credits, balance, position) VALUES ($1, 1, $2, $3)
   ON CONFLICT (wallet_id) DO UPDATE SET credits = w.credits + 1, balance = w.balance + EXCLUDED.balance, position = EXCLUDED.position`;

/** A projector class named `name` writing credits to `table` in its checkpoint's transaction (or, `inline`, in the append's). */
export function sqlProjectorOf(name: string, table: string, consistency: 'strong' | 'eventual' = 'eventual', inline = false) {
  const upsert = walletUpsert(table);
  @Projector({ name, consistency, inline })
  class WalletTableProjector {
    @On(WalletCredited)
    async credited(event: WalletCredited, context: EventContext) {
      await context.sql!.query(upsert, [event.walletId, event.amount, context.globalPosition]);
    }
  }
  return WalletTableProjector;
}
