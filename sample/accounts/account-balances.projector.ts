import { type BatchContext, type BatchItem, OnBatch, Projector } from '../../lib/index.js';
import { ReadModel } from '../read-model/read-model.js';
import { AccountOpened, DepositRefused, MoneyDeposited, MoneyRefunded, MoneyWithdrawn, WithdrawalRefused } from './account.events.js';

type AccountEvent = AccountOpened | MoneyDeposited | MoneyWithdrawn | MoneyRefunded | WithdrawalRefused | DepositRefused;

/** What one event changes in its account's document besides the version. */
function patchOf(event: AccountEvent): Record<string, unknown> {
  if (event instanceof AccountOpened) return { accountId: event.accountId, balance: event.initialBalance };
  if (event instanceof WithdrawalRefused || event instanceof DepositRefused) return {};
  return { balance: event.balance };
}

/**
 * Keeps `{ accountId, balance, version }` per account for `GET /accounts/:id`, a page of events
 * per statement, in the transaction that moves its checkpoint.
 */
@Projector({ name: 'account-balances', consistency: 'strong' })
export class AccountBalancesProjector {
  constructor(private readonly readModel: ReadModel) {}

  @OnBatch(AccountOpened, MoneyDeposited, MoneyWithdrawn, MoneyRefunded, WithdrawalRefused, DepositRefused)
  project(items: Array<BatchItem<AccountEvent>>, batch: BatchContext) {
    return this.readModel.mergeAll(
      'account',
      items.map(({ event, context }) => [event.accountId, { ...patchOf(event), version: context.streamVersion }]),
      batch.sql,
    );
  }
}
