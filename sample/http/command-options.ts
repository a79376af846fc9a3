import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { DispatchOptions } from '../../lib/index.js';

/** What a command route reads from its request besides the body. */
interface CommandRequest {
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,200}$/;

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

/** Dispatch options of a command route: consistency from the query, command id from `Idempotency-Key`. */
export const CommandOptions = createParamDecorator((_: unknown, context: ExecutionContext): DispatchOptions => {
  const request = context.switchToHttp().getRequest<CommandRequest>();
  return { ...consistencyOf(request.originalUrl), ...commandIdOf(request.headers) };
});

/** The request body as an object, or a 400. */
export function bodyOf(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw refuse('INVALID_BODY', 'The body must be a JSON object');
  return body as Record<string, unknown>;
}
