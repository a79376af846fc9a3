import { type EventContext, On, Projector } from '../../lib/index.js';
import { ReadModel } from '../read-model/read-model.js';
import { AccountOpened, DepositRefused, MoneyDeposited, MoneyRefunded, MoneyWithdrawn, WithdrawalRefused } from './account.events.js';

/** Keeps `{ accountId, balance, version }` per account for `GET /accounts/:id`. */
@Projector({ name: 'account-balances', consistency: 'strong' })
export class AccountBalancesProjector {
  constructor(private readonly readModel: ReadModel) {}

  @On(AccountOpened)
  opened(event: AccountOpened, ctx: EventContext) {
    return this.write(event.accountId, { accountId: event.accountId, balance: event.initialBalance }, ctx);
  }

  @On(MoneyDeposited)
  @On(MoneyWithdrawn)
  @On(MoneyRefunded)
  balanceChanged(event: MoneyDeposited | MoneyWithdrawn | MoneyRefunded, ctx: EventContext) {
    return this.write(event.accountId, { balance: event.balance }, ctx);
  }

  @On(WithdrawalRefused)
  @On(DepositRefused)
  refused(event: WithdrawalRefused | DepositRefused, ctx: EventContext) {
    return this.write(event.accountId, {}, ctx);
  }

  private write(accountId: string, patch: Record<string, unknown>, ctx: EventContext) {
    return this.readModel.merge('account', accountId, { ...patch, version: ctx.streamVersion }, ctx.sql);
  }
}
