import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { InvalidIdentifierError, TENANT_ID, Tenants } from '../../lib/index.js';
import { SAMPLE_CONFIG, type SampleConfig, servesTenants } from '../config.js';
import { bodyOf } from './command-options.js';

/** The part of Express's response the controller sets. */
interface StatusTarget {
  status(code: number): unknown;
}

/**
 * The bank's tenants, when it serves some (TENANTS): list them, or add or remove one at run time.
 * Every node serves a tenant added on any of them, each in a schema of its own, and stops serving
 * one removed on any of them.
 */
@Controller('tenants')
export class TenantsController {
  constructor(
    private readonly tenants: Tenants,
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
  ) {}

  @Get()
  async list() {
    this.assertServing();
    return { tenants: (await this.tenants.list()).sort() };
  }

  /** Adds `{ tenantId }` (201); one already added is answered 200 and left as it is. */
  @Post()
  @HttpCode(201)
  async add(@Body() body: unknown, @Res({ passthrough: true }) response: StatusTarget) {
    this.assertServing();
    const { tenantId } = bodyOf(body);
    if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) {
      throw new InvalidIdentifierError(
        'tenant id',
        `'tenantId' must be 1 to 40 lower-case letters, digits or '_', starting with a letter (it names a schema); got ${JSON.stringify(tenantId)}`,
      );
    }
    if ((await this.tenants.list()).includes(tenantId)) response.status(200);
    await this.tenants.add(tenantId);
    return { tenantId };
  }

  /** Removes tenant `tenantId` (204): no node serves it any more, and its schema is kept as it is. */
  @Delete(':tenantId')
  @HttpCode(204)
  async remove(@Param('tenantId') tenantId: string): Promise<void> {
    this.assertServing();
    await this.tenants.remove(tenantId);
  }

  private assertServing(): void {
    if (servesTenants(this.config)) return;
    throw new NotFoundException({
      code: 'TENANTS_NOT_SERVED',
      message: 'This bank serves no tenants: start it with TENANTS=<id>,<id> to serve some',
    });
  }
}
