import { Controller, Get } from '@nestjs/common';
import { EventSourcingHealth } from '../../lib/index.js';

@Controller('health')
export class HealthController {
  constructor(private readonly health: EventSourcingHealth) {}

  @Get()
  status() {
    return this.health.status();
  }
}
