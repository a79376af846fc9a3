import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { CommandGateway, DataSubjects, type DispatchOptions } from '../../lib/index.js';
import { bodyOf, CommandOptions } from '../http/command-options.js';
import { IdPipe } from '../http/id.pipe.js';
import { ReadModel } from '../read-model/read-model.js';
import { type AccountHolder, DepositMoney, OpenAccount, WithdrawMoney } from './account.commands.js';

@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly readModel: ReadModel,
    private readonly subjects: DataSubjects,
  ) {}

  @Post()
  @HttpCode(201)
  async open(@Body() body: unknown, @CommandOptions() options: DispatchOptions) {
    const { accountId, initialBalance, holder } = bodyOf(body);
    const version = await this.gateway.dispatch(new OpenAccount(accountId as string, initialBalance as number, holder as AccountHolder | undefined), {
      ...options,
      returning: 'aggregateVersion',
    });
    return { accountId, version };
  }

  @Post(':id/deposit')
  @HttpCode(200)
  deposit(@Param('id', IdPipe) id: string, @Body() body: unknown, @CommandOptions() options: DispatchOptions) {
    return this.move(new DepositMoney(id, bodyOf(body).amount as number), options);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(@Param('id', IdPipe) id: string, @Body() body: unknown, @CommandOptions() options: DispatchOptions) {
    return this.move(new WithdrawMoney(id, bodyOf(body).amount as number), options);
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string) {
    const account = await this.readModel.get<{ accountId?: string; balance: number; version: number; holder?: unknown }>('account', id);
    if (!account?.accountId) throw new NotFoundException(`Account '${id}' not found`);
    const shown = { accountId: account.accountId, balance: account.balance, version: account.version };
    return account.holder === undefined ? shown : { ...shown, holder: account.holder };
  }

  /**
   * Forgets the account's holder: their name and e-mail read as '[forgotten]' everywhere from now
   * on (events, rebuilt and live read models); the balance and history stay. Safe to repeat.
   */
  @Delete(':id/holder')
  @HttpCode(204)
  async forgetHolder(@Param('id', IdPipe) id: string): Promise<void> {
    await this.subjects.forget(id);
  }

  private async move(command: DepositMoney | WithdrawMoney, options: DispatchOptions) {
    const version = await this.gateway.dispatch(command, { ...options, returning: 'aggregateVersion' });
    return { accountId: command.accountId, version };
  }
}
