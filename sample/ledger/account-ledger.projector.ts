import { Inject, type OnModuleInit, type Type } from '@nestjs/common';
import { type EventContext, EventStore, On, Projector } from '../../lib/index.js';
import { AccountOpened, DepositRefused, MoneyDeposited, MoneyRefunded, MoneyWithdrawn, WithdrawalRefused } from '../accounts/account.events.js';
import { SAMPLE_CONFIG, type SampleConfig, servesTenants } from '../config.js';
import { SampleTables, schemaOf } from '../read-model/sample-tables.js';

type AccountEvent = AccountOpened | MoneyDeposited | MoneyWithdrawn | MoneyRefunded | WithdrawalRefused | DepositRefused;

/**
 * A ledger line per account event in `<schema>.bank_ledger` (a tenant's in `<schema>_<tenant>`),
 * written in the transaction that moves the projector's checkpoint, by a projector spread over
 * `partitions` partitions that the running nodes share (`LEDGER_PARTITIONS`). Each line names the node that wrote it and counts the times
 * it was delivered: 1 when every event was handled exactly once (SQL stores only).
 */
export function accountLedgerProjector(partitions: number): Type {
  @Projector({ name: 'account-ledger', spread: { partitions } })
  class AccountLedgerProjector implements OnModuleInit {
    private readonly tables = new SampleTables(
      'event_id uuid PRIMARY KEY, account_id text NOT NULL, global_position bigint NOT NULL, node text NOT NULL, deliveries integer NOT NULL DEFAULT 1',
    );

    constructor(
      @Inject(EventStore) private readonly store: EventStore,
      @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
    ) {}

    async onModuleInit(): Promise<void> {
      // With tenants, each tenant's ledger is created in its schema when its first line is written.
      if (this.store.sql && !servesTenants(this.config)) await this.tables.ensureNow(this.tableOf(undefined), this.store.sql);
    }

    @On(AccountOpened) opened(event: AccountOpened, context: EventContext) {
      return this.line(event, context);
    }
    @On(MoneyDeposited) deposited(event: MoneyDeposited, context: EventContext) {
      return this.line(event, context);
    }
    @On(MoneyWithdrawn) withdrawn(event: MoneyWithdrawn, context: EventContext) {
      return this.line(event, context);
    }
    @On(MoneyRefunded) refunded(event: MoneyRefunded, context: EventContext) {
      return this.line(event, context);
    }
    @On(WithdrawalRefused) withdrawalRefused(event: WithdrawalRefused, context: EventContext) {
      return this.line(event, context);
    }
    @On(DepositRefused) depositRefused(event: DepositRefused, context: EventContext) {
      return this.line(event, context);
    }

    private async line(event: AccountEvent, { sql, eventId, globalPosition, tenant }: EventContext): Promise<void> {
      const table = this.tableOf(tenant);
      await this.tables.write(table, sql!, () =>
        sql!.query(
          `INSERT INTO ${table} (event_id, account_id, global_position, node) VALUES ($1, $2, $3, $4)
           ON CONFLICT (event_id) DO UPDATE SET deliveries = ${table}.deliveries + 1`,
          [eventId, event.accountId, globalPosition, this.config.eventSourcing.nodeName ?? 'unnamed'],
        ),
      );
    }

    private tableOf(tenant: string | undefined): string {
      return `"${schemaOf(this.config, tenant)}".bank_ledger`;
    }
  }
  return AccountLedgerProjector;
}
