import { BadRequestException, createParamDecorator, type ExecutionContext, Inject, Injectable, type PipeTransform } from '@nestjs/common';
import { SAMPLE_CONFIG, type SampleConfig, servesTenants } from '../config.js';

/** The raw `X-Tenant` header of the request. */
const TenantHeader = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | string[] | undefined =>
    context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['x-tenant'],
);

/**
 * The request's tenant, when the bank serves tenants (TENANTS): required then, and passed as it
 * is to the library, which refuses a malformed id (400 `INVALID_IDENTIFIER`) or one never added
 * (404 `UNKNOWN_TENANT`). The single-tenant bank ignores the header, as it always did.
 */
@Injectable()
export class TenantPipe implements PipeTransform<string | string[] | undefined, string | undefined> {
  private readonly enabled: boolean;

  constructor(@Inject(SAMPLE_CONFIG) config: SampleConfig) {
    this.enabled = servesTenants(config);
  }

  transform(header: string | string[] | undefined): string | undefined {
    if (!this.enabled) return undefined;
    if (header === undefined || header === '') {
      throw new BadRequestException({ code: 'TENANT_REQUIRED', message: 'This bank serves several tenants: name one in the X-Tenant header' });
    }
    // Node joins a repeated header into one value, which is no tenant id: refused as malformed.
    return Array.isArray(header) ? header.join(', ') : header;
  }
}

/** A route's tenant: `@RequestTenant() tenant: string | undefined`, then `{ tenant }` to dispatch and reads. */
export const RequestTenant = () => TenantHeader(TenantPipe);
