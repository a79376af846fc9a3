import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { EventSourcingError, isDomainError } from '../../lib/index.js';

/** The part of Express's response the filter uses. */
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

const STATUS: Record<string, number> = {
  ACCOUNT_NOT_OPEN: 404,
  ACCOUNT_ALREADY_OPEN: 409,
  TRANSFER_EXISTS: 409,
  INSUFFICIENT_FUNDS: 422,
  INVALID_COMMAND: 400,
  MISSING_AGGREGATE_IDENTITY: 400,
  INVALID_OPTIONS: 400,
  WRONG_EXPECTED_VERSION: 409,
  COMMAND_TIMEOUT: 504,
  CONSISTENCY_TIMEOUT: 504,
  STORE_UNAVAILABLE: 503,
  NODE_UNAVAILABLE: 503,
};

/** Turns errors into JSON `{ statusCode, code, message }`; domain errors become 4xx. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(error: unknown, host: ArgumentsHost) {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (error instanceof HttpException) {
      response.status(error.getStatus()).json({ statusCode: error.getStatus(), message: error.message });
      return;
    }
    if (error instanceof EventSourcingError) {
      const statusCode = STATUS[error.code] ?? (isDomainError(error) ? 422 : 500);
      response.status(statusCode).json({ statusCode, code: error.code, message: error.message });
      return;
    }
    this.logger.error(error);
    response.status(500).json({ statusCode: 500, message: 'Internal error' });
  }
}
