import { Controller, Get } from '@nestjs/common';
import { EventSourcingHealth } from '../../lib/index.js';

/** This node's status (subscriptions, pubsub, cluster, live aggregates), for dashboards and scripts. */
@Controller('status')
export class StatusController {
  constructor(private readonly health: EventSourcingHealth) {}

  @Get()
  status() {
    return this.health.status();
  }
}
