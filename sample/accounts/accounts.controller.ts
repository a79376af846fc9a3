import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { CommandGateway } from '../../lib/index.js';
import { bodyOf, commandOptions } from '../http/command-options.js';
import { ReadModel } from '../read-model/read-model.js';
import { DepositMoney, OpenAccount, WithdrawMoney } from './account.commands.js';

@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly readModel: ReadModel,
  ) {}

  @Post()
  @HttpCode(201)
  async open(@Body() body: unknown, @Query('consistency') consistency?: string) {
    const { accountId, initialBalance } = bodyOf(body);
    const version = await this.gateway.dispatch(new OpenAccount(accountId as string, initialBalance as number), {
      ...commandOptions(consistency),
      returning: 'aggregateVersion',
    });
    return { accountId, version };
  }

  @Post(':id/deposit')
  @HttpCode(200)
  deposit(@Param('id') id: string, @Body() body: unknown, @Query('consistency') consistency?: string) {
    return this.move(new DepositMoney(id, bodyOf(body).amount as number), consistency);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(@Param('id') id: string, @Body() body: unknown, @Query('consistency') consistency?: string) {
    return this.move(new WithdrawMoney(id, bodyOf(body).amount as number), consistency);
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const account = await this.readModel.get<{ accountId?: string; balance: number; version: number }>('account', id);
    if (!account?.accountId) throw new NotFoundException(`Account '${id}' not found`);
    return { accountId: account.accountId, balance: account.balance, version: account.version };
  }

  private async move(command: DepositMoney | WithdrawMoney, consistency?: string) {
    const version = await this.gateway.dispatch(command, { ...commandOptions(consistency), returning: 'aggregateVersion' });
    return { accountId: command.accountId, version };
  }
}
