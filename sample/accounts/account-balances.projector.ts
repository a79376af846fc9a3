import { type BatchContext, type BatchItem, FORGOTTEN, OnBatch, Projector, SubjectForgotten } from '../../lib/index.js';
import { tenantOfBatch } from '../read-model/batch-tenant.js';
import { ReadModel } from '../read-model/read-model.js';
import { AccountOpened, DepositRefused, MoneyDeposited, MoneyRefunded, MoneyWithdrawn, WithdrawalRefused } from './account.events.js';

type AccountEvent = AccountOpened | MoneyDeposited | MoneyWithdrawn | MoneyRefunded | WithdrawalRefused | DepositRefused;

/** What one event of an account changes in its document besides the version. */
function patchOf(event: AccountEvent): Record<string, unknown> {
  if (event instanceof AccountOpened) {
    const opened = { accountId: event.accountId, balance: event.initialBalance };
    return event.holder === undefined ? opened : { ...opened, holder: event.holder };
  }
  if (event instanceof WithdrawalRefused || event instanceof DepositRefused) return {};
  return { balance: event.balance };
}

/** The document patch of one item: an account's event, or the forget of a holder, which erases the copy kept here. */
function itemPatch({ event, context }: BatchItem<AccountEvent | SubjectForgotten>): [string, Record<string, unknown>] {
  if (event instanceof SubjectForgotten) return [event.subjectId, { holder: FORGOTTEN }];
  return [event.accountId, { ...patchOf(event), version: context.streamVersion }];
}

/**
 * Keeps `{ accountId, balance, version, holder? }` per account for `GET /accounts/:id`, a page of
 * events per statement, in the transaction that moves its checkpoint. The holder is personal data:
 * `SubjectForgotten` (the subject is the account id) replaces the copy with the placeholder, and a
 * rebuild reads the placeholder from the events themselves. With tenants, each tenant's engine runs
 * it on that tenant's events, and the documents go to that tenant's read model.
 */
@Projector({ name: 'account-balances', consistency: 'strong' })
export class AccountBalancesProjector {
  constructor(private readonly readModel: ReadModel) {}

  @OnBatch(AccountOpened, MoneyDeposited, MoneyWithdrawn, MoneyRefunded, WithdrawalRefused, DepositRefused, SubjectForgotten)
  project(items: Array<BatchItem<AccountEvent | SubjectForgotten>>, batch: BatchContext) {
    return this.readModel.mergeAll('account', items.map(itemPatch), batch.sql, tenantOfBatch(items));
  }
}
