import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { CommandGateway } from '../../lib/index.js';
import { bodyOf, commandOptions } from '../http/command-options.js';
import { ReadModel } from '../read-model/read-model.js';
import { RequestTransfer } from './transfer.commands.js';

@Controller('transfers')
export class TransfersController {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly readModel: ReadModel,
  ) {}

  /** Starts a transfer; the process manager moves the money afterwards. */
  @Post()
  @HttpCode(202)
  async request(@Body() body: unknown, @Query('consistency') consistency?: string) {
    const { transferId, from, to, amount } = bodyOf(body);
    await this.gateway.dispatch(new RequestTransfer(transferId as string, from as string, to as string, amount as number), commandOptions(consistency));
    return { transferId, status: 'pending' };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const transfer = await this.readModel.get('transfer', id);
    if (!transfer) throw new NotFoundException(`Transfer '${id}' not found`);
    return transfer;
  }
}
