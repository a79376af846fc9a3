import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { EventSourcingError, isDomainError, isWrongExpectedVersion, type WrongExpectedVersionError } from '../../lib/index.js';
import { hasPrecondition } from './command-options.js';
import { etagOf, type HeaderTarget } from './entity-tags.js';

/** The part of Express's response the filter uses. */
export interface JsonResponse extends HeaderTarget {
  status(code: number): { json(body: unknown): void };
}

/** The part of the request the filter reads. */
interface FilteredRequest {
  headers: Record<string, string | string[] | undefined>;
}

const STATUS: Record<string, number> = {
  ACCOUNT_NOT_OPEN: 404,
  ACCOUNT_ALREADY_OPEN: 409,
  TRANSFER_EXISTS: 409,
  INSUFFICIENT_FUNDS: 422,
  AMOUNT_NOT_REPRESENTABLE: 422,
  DUPLICATE_COMMAND: 409,
  INVALID_COMMAND: 400,
  MISSING_AGGREGATE_IDENTITY: 400,
  INVALID_OPTIONS: 400,
  INVALID_IDENTIFIER: 400,
  TENANT_REQUIRED: 400,
  UNKNOWN_TENANT: 404,
  WRONG_EXPECTED_VERSION: 409,
  COMMAND_TIMEOUT: 504,
  CONSISTENCY_TIMEOUT: 504,
  STORE_UNAVAILABLE: 503,
  NODE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
};

/** Codes of HTTP-level refusals that carry none of their own. */
const HTTP_CODES: Record<number, string> = { 400: 'BAD_REQUEST', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

/** `{ code, message }` of an HTTP exception; a body-parser failure gets one plain message, not the parser's. */
function describeHttp(error: HttpException): { code: string; message: string } {
  const status = error.getStatus();
  if (error.cause instanceof SyntaxError) return { code: 'INVALID_BODY', message: 'The body must be a JSON object' };
  const body = error.getResponse();
  const own = typeof body === 'object' && body !== null ? (body as { code?: unknown; message?: unknown }) : {};
  return {
    code: typeof own.code === 'string' ? own.code : (HTTP_CODES[status] ?? `HTTP_${status}`),
    message: typeof own.message === 'string' ? own.message : error.message,
  };
}

/**
 * Turns errors into JSON `{ statusCode, code, message }`; domain errors become 4xx. A command
 * refused because the aggregate moved past the version its `If-Match` named is a 412; the same
 * conflict without a precondition (concurrent writers outlasting the retries) stays a 409.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(error: unknown, host: ArgumentsHost) {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (error instanceof HttpException) {
      response.status(error.getStatus()).json({ statusCode: error.getStatus(), ...describeHttp(error) });
      return;
    }
    if (isWrongExpectedVersion(error) && hasPrecondition(host.switchToHttp().getRequest<FilteredRequest>().headers)) {
      this.preconditionFailed(error, response);
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

  /** 412 with the version the aggregate is at, in the body and as the `ETag` (none while it has no events). */
  private preconditionFailed(error: WrongExpectedVersionError, response: JsonResponse): void {
    const currentVersion = error.actual ?? 0;
    if (currentVersion > 0) response.setHeader('ETag', etagOf(currentVersion));
    response.status(412).json({ statusCode: 412, code: error.code, message: error.message, currentVersion });
  }
}
