import { BadRequestException } from '@nestjs/common';
import type { DispatchOptions } from '../../lib/index.js';

/** Reads `?consistency=strong|eventual` into dispatch options. */
export function commandOptions(consistency: string | undefined): DispatchOptions {
  if (consistency === undefined) return {};
  if (consistency !== 'strong' && consistency !== 'eventual') {
    throw new BadRequestException(`consistency must be 'strong' or 'eventual', got '${consistency}'`);
  }
  return { consistency };
}

/** The request body as an object, or a 400. */
export function bodyOf(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('Expected a JSON object body');
  return body as Record<string, unknown>;
}
