import { HttpException, HttpStatus, Injectable, type NestMiddleware } from '@nestjs/common';

interface BodyRequest {
  headers: Record<string, string | string[] | undefined>;
}

/** A request carrying a body that is not JSON gets 415, not a misleading 400 about missing fields. */
@Injectable()
export class JsonOnlyMiddleware implements NestMiddleware {
  use(request: BodyRequest, _: unknown, next: () => void): void {
    const { headers } = request;
    const hasBody = Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
    const type = String(headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (hasBody && type !== 'application/json') {
      throw new HttpException(
        { code: 'UNSUPPORTED_MEDIA_TYPE', message: `Send JSON with 'Content-Type: application/json'; got '${type || 'none'}'` },
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      );
    }
    next();
  }
}
