import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type DispatchOptions, NO_STREAM, STREAM_EXISTS } from '../../lib/index.js';

/** What a command route reads from its request besides the body. */
interface CommandRequest {
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,200}$/;
/** One entity tag as `etagOf` writes it (`W/"7"`), or its strong form (`"7"`): the version compared is the same. */
const VERSION_TAG = /^(?:W\/)?"(0|[1-9][0-9]{0,9})"$/;

const refuse = (code: string, message: string) => new BadRequestException({ code, message });

/**
 * `?consistency=strong|eventual`, read from the raw query string: a repeated parameter or a
 * bracketed form (`consistency[]=x`) would otherwise be dropped or merged without a word.
 */
export function consistencyOf(url: string): Pick<DispatchOptions, 'consistency'> {
  const params = new URLSearchParams(url.split('?')[1] ?? '');
  const keys = [...params.keys()].filter((key) => key.startsWith('consistency'));
  if (keys.length === 0) return {};
  const value = params.get('consistency');
  if (keys.length > 1 || keys[0] !== 'consistency' || (value !== 'strong' && value !== 'eventual')) {
    throw refuse(
      'INVALID_CONSISTENCY',
      `consistency must be given once, as 'strong' or 'eventual'; got '${keys.map((k) => `${k}=${params.getAll(k).join(',')}`).join('&')}'`,
    );
  }
  return { consistency: value };
}

/** The `Idempotency-Key` header as the command id: a client's retry is then recognised as the same command. */
export function commandIdOf(headers: CommandRequest['headers']): Pick<DispatchOptions, 'commandId'> {
  const key = headers['idempotency-key'];
  if (key === undefined) return {};
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw refuse('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1-200 printable ASCII characters without spaces');
  }
  return { commandId: key };
}

/** True when the request sets a precondition: a refused one is then answered 412 rather than 409. */
export const hasPrecondition = (headers: CommandRequest['headers']): boolean =>
  headers['if-match'] !== undefined || headers['if-none-match'] !== undefined;

/**
 * `If-Match` as the version the command's aggregate must be at (`*`: it exists), or
 * `If-None-Match: *` as "it has no events yet". Anything else is refused: a precondition the
 * server cannot honour must never be ignored, or the client believes itself protected.
 */
export function expectedVersionOf(headers: CommandRequest['headers']): Pick<DispatchOptions, 'expectedVersion'> {
  const [ifMatch, ifNoneMatch] = [headers['if-match'], headers['if-none-match']];
  if (ifMatch !== undefined && ifNoneMatch !== undefined) throw refuse('INVALID_PRECONDITION', 'Send If-Match or If-None-Match, not both');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch === '*') return { expectedVersion: NO_STREAM };
    throw refuse(
      'INVALID_IF_NONE_MATCH',
      `If-None-Match on a command may only be * (create only if it has no events yet); got ${JSON.stringify(ifNoneMatch)}`,
    );
  }
  if (ifMatch === undefined) return {};
  if (ifMatch === '*') return { expectedVersion: STREAM_EXISTS };
  const version = typeof ifMatch === 'string' ? VERSION_TAG.exec(ifMatch.trim())?.[1] : undefined;
  if (version === undefined) {
    throw refuse('INVALID_IF_MATCH', `If-Match must be one version's entity tag as ETag gives it (e.g. W/"7"), or *; got ${JSON.stringify(ifMatch)}`);
  }
  return { expectedVersion: Number(version) };
}

/**
 * Dispatch options of a command route: consistency from the query, command id from
 * `Idempotency-Key`, expected version from `If-Match` / `If-None-Match`.
 */
export const CommandOptions = createParamDecorator((_: unknown, context: ExecutionContext): DispatchOptions => {
  const request = context.switchToHttp().getRequest<CommandRequest>();
  return { ...consistencyOf(request.originalUrl), ...commandIdOf(request.headers), ...expectedVersionOf(request.headers) };
});

/** The request body as an object, or a 400. */
export function bodyOf(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw refuse('INVALID_BODY', 'The body must be a JSON object');
  return body as Record<string, unknown>;
}
