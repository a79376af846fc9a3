import { Controller, Get } from '@nestjs/common';
import { EventSourcingHealth, type EventSourcingStatus } from '../../lib/index.js';

/** This node's status (subscriptions, pubsub, cluster, live aggregates; with tenants, each tenant's engine under `tenants`), for dashboards and scripts. */
@Controller('status')
export class StatusController {
  constructor(private readonly health: EventSourcingHealth) {}

  @Get()
  status(): EventSourcingStatus {
    return this.health.status();
  }
}
