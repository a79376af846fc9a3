import { Controller, Get, UseFilters } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { EventSourcingHealthIndicator } from '../../lib/index.js';
import { HealthCheckFilter } from './health-check.filter.js';

/** Probes for an orchestrator: 200 when up, 503 with the failing checks otherwise. */
@Controller('health')
@UseFilters(HealthCheckFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventSourcing: EventSourcingHealthIndicator,
  ) {}

  /** Restart the process when this fails: it looks at the process only, never at the database. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.eventSourcing.isLive()]);
  }

  /** Send no traffic here while this fails: store down, migrations pending, a strong projection far behind. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.eventSourcing.isReady()]);
  }
}
