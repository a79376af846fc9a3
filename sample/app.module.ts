import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventSourcingInspectorModule, EventSourcingModule } from '../lib/index.js';
import { TerminusModule } from '@nestjs/terminus';
import { AccountBalancesProjector } from './accounts/account-balances.projector.js';
import { AccountsController } from './accounts/accounts.controller.js';
import { accountLedgerProjector } from './ledger/account-ledger.projector.js';
import { BankAccount } from './accounts/bank-account.aggregate.js';
import { SAMPLE_CONFIG, type SampleConfig } from './config.js';
import { ErrorFilter } from './http/error.filter.js';
import { HealthController } from './http/health.controller.js';
import { JsonOnlyMiddleware } from './http/json-only.middleware.js';
import { StatusController } from './http/status.controller.js';
import { TenantsController } from './http/tenants.controller.js';
import { ReadModel } from './read-model/read-model.js';
import { TransferMoney } from './transfers/transfer-money.process-manager.js';
import { TransferStatusProjector } from './transfers/transfer-status.projector.js';
import { Transfer } from './transfers/transfer.aggregate.js';
import { TransfersController } from './transfers/transfers.controller.js';

/** The bank: accounts, transfers, and their read models, over HTTP. */
@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(JsonOnlyMiddleware).forRoutes('*path');
  }

  static forConfig(config: SampleConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EventSourcingModule.forRoot(config.eventSourcing),
        EventSourcingModule.forFeature({ aggregates: [BankAccount, Transfer], processManagers: [TransferMoney] }),
        ...(config.inspector ? [EventSourcingInspectorModule.forRoot()] : []),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
      ],
      controllers: [AccountsController, TransfersController, TenantsController, HealthController, StatusController],
      providers: [
        { provide: SAMPLE_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ErrorFilter },
        ReadModel,
        AccountBalancesProjector,
        TransferStatusProjector,
        ...(config.ledgerPartitions ? [accountLedgerProjector(config.ledgerPartitions)] : []),
      ],
    };
  }
}
