import { BadRequestException, Body, Controller, Delete, Get, Headers, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { CommandGateway, DataSubjects, type DispatchOptions, Tenants } from '../../lib/index.js';
import { bodyOf, CommandOptions, hasPrecondition } from '../http/command-options.js';
import { type HeaderTarget, tagged } from '../http/entity-tags.js';
import { IdPipe } from '../http/id.pipe.js';
import { RequestTenant } from '../http/request-tenant.js';
import { ReadModel } from '../read-model/read-model.js';
import { type AccountHolder, DepositMoney, OpenAccount, WithdrawMoney } from './account.commands.js';

@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly readModel: ReadModel,
    private readonly subjects: DataSubjects,
    private readonly tenants: Tenants,
  ) {}

  /** Opens an account; `If-None-Match: *` makes it 412 rather than 409 when the account already has events. */
  @Post()
  @HttpCode(201)
  open(
    @Body() body: unknown,
    @CommandOptions() options: DispatchOptions,
    @RequestTenant() tenant: string | undefined,
    @Res({ passthrough: true }) response: HeaderTarget,
  ) {
    const { accountId, initialBalance, holder } = bodyOf(body);
    const command = new OpenAccount(accountId as string, initialBalance as number, holder as AccountHolder | undefined);
    return this.run(command, { ...options, tenant }, response);
  }

  @Post(':id/deposit')
  @HttpCode(200)
  deposit(
    @Param('id', IdPipe) id: string,
    @Body() body: unknown,
    @CommandOptions() options: DispatchOptions,
    @RequestTenant() tenant: string | undefined,
    @Res({ passthrough: true }) response: HeaderTarget,
  ) {
    return this.run(new DepositMoney(id, bodyOf(body).amount as number), { ...options, tenant }, response);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(
    @Param('id', IdPipe) id: string,
    @Body() body: unknown,
    @CommandOptions() options: DispatchOptions,
    @RequestTenant() tenant: string | undefined,
    @Res({ passthrough: true }) response: HeaderTarget,
  ) {
    return this.run(new WithdrawMoney(id, bodyOf(body).amount as number), { ...options, tenant }, response);
  }

  /** The account as projected, with the `ETag` of the version it shows (a matching `If-None-Match` gets a 304). */
  @Get(':id')
  async get(@Param('id', IdPipe) id: string, @RequestTenant() tenant: string | undefined, @Res({ passthrough: true }) response: HeaderTarget) {
    const account = await this.readModel.get<{ accountId?: string; balance: number; version: number; holder?: unknown }>('account', id, tenant);
    if (!account?.accountId) throw new NotFoundException(`Account '${id}' not found`);
    const shown = { accountId: account.accountId, balance: account.balance, version: account.version };
    return tagged(response, account.holder === undefined ? shown : { ...shown, holder: account.holder });
  }

  /**
   * Forgets the account's holder: their name and e-mail read as '[forgotten]' everywhere from now
   * on (events, rebuilt and live read models); the balance and history stay. Safe to repeat. It
   * moves no version of the account, so it takes no precondition: one sent is refused, not ignored.
   */
  @Delete(':id/holder')
  @HttpCode(204)
  async forgetHolder(
    @Param('id', IdPipe) id: string,
    @RequestTenant() tenant: string | undefined,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<void> {
    if (hasPrecondition(headers)) {
      throw new BadRequestException({
        code: 'INVALID_PRECONDITION',
        message: 'Forgetting a holder moves no version of the account: send it without If-Match or If-None-Match',
      });
    }
    // A tenant's holders are forgotten in its own store, whose projectors then erase its read model's copy.
    const subjects = tenant === undefined ? this.subjects : (await this.tenants.engine(tenant)).subjects;
    await subjects.forget(id);
  }

  /** Runs an account's command; answers its id and new version, and that version's `ETag`. */
  private async run(command: OpenAccount | DepositMoney | WithdrawMoney, options: DispatchOptions, response: HeaderTarget) {
    const version = await this.gateway.dispatch<number>(command, { ...options, returning: 'aggregateVersion' });
    return tagged(response, { accountId: command.accountId, version });
  }
}
