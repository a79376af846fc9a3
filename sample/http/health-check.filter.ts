import { type ArgumentsHost, Catch, type ExceptionFilter, ServiceUnavailableException } from '@nestjs/common';
import type { JsonResponse } from './error.filter.js';

/**
 * Terminus answers a failing check with 503 and the whole result (status, info, error, details) as
 * the body; this keeps that body, which the application's ErrorFilter would cut to a code and a message.
 */
@Catch(ServiceUnavailableException)
export class HealthCheckFilter implements ExceptionFilter {
  catch(error: ServiceUnavailableException, host: ArgumentsHost) {
    host.switchToHttp().getResponse<JsonResponse>().status(error.getStatus()).json(error.getResponse());
  }
}
