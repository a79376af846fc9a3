import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { AggregateReader, CommandGateway, type DispatchOptions, isAggregateNotFound } from '../../lib/index.js';
import { BankAccount } from '../accounts/bank-account.aggregate.js';
import { bodyOf, CommandOptions } from '../http/command-options.js';
import { IdPipe } from '../http/id.pipe.js';
import { RequestTenant } from '../http/request-tenant.js';
import { requiredId } from '../http/validation.js';
import { ReadModel } from '../read-model/read-model.js';
import { RequestTransfer } from './transfer.commands.js';

/** Most accounts remembered as open by one process. */
const KNOWN_OPEN_LIMIT = 100_000;

@Controller('transfers')
export class TransfersController {
  /** Accounts found open (by tenant): never closed, they need not be read again. */
  private readonly known = new Set<string>();

  constructor(
    private readonly gateway: CommandGateway,
    private readonly readModel: ReadModel,
    private readonly accounts: AggregateReader,
  ) {}

  /** Starts a transfer; the process manager moves the money afterwards. */
  @Post()
  @HttpCode(202)
  async request(@Body() body: unknown, @CommandOptions() options: DispatchOptions, @RequestTenant() tenant: string | undefined) {
    const { transferId, from, to, amount } = bodyOf(body);
    const refusal = await this.refusal(from, to, tenant);
    await this.gateway.dispatch(new RequestTransfer(transferId as string, from as string, to as string, amount as number, refusal), {
      ...options,
      tenant,
    });
    return { transferId, status: 'pending' };
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string, @RequestTenant() tenant: string | undefined) {
    const transfer = await this.readModel.get('transfer', id, tenant);
    if (!transfer) throw new NotFoundException(`Transfer '${id}' not found`);
    return transfer;
  }

  /**
   * Why the transfer cannot start, read from the accounts' own streams. Accounts are never
   * closed, so one found open stays open and is read once per process; one not open is refused
   * here, on the transfer's side, and no step ever writes to its stream. Bad ids are left to the
   * command's validation. Both accounts are the request's tenant's: a transfer never crosses tenants.
   */
  private async refusal(from: unknown, to: unknown, tenant: string | undefined): Promise<string | undefined> {
    if (requiredId('from', from).length || requiredId('to', to).length) return undefined;
    const [source, target] = [from as string, to as string];
    if (!(await this.isOpen(source, tenant))) return `withdrawal refused: account '${source}' is not open`;
    if (!(await this.isOpen(target, tenant))) return `deposit refused: account '${target}' is not open; nothing was withdrawn`;
    return undefined;
  }

  private async isOpen(accountId: string, tenant: string | undefined): Promise<boolean> {
    const key = JSON.stringify([tenant ?? null, accountId]);
    if (this.known.has(key)) return true;
    try {
      const open = (await this.accounts.load(BankAccount, accountId, { tenant })).state.open;
      if (open) this.remember(key);
      return open;
    } catch (error) {
      if (isAggregateNotFound(error)) return false;
      throw error;
    }
  }

  /** Remembers an account found open; the set starts over past its bound rather than grow without one. */
  private remember(key: string): void {
    if (this.known.size >= KNOWN_OPEN_LIMIT) this.known.clear();
    this.known.add(key);
  }
}
