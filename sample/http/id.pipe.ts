import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { requiredId } from './validation.js';

/**
 * Path ids get the same rule as ids in bodies: a NUL byte or a quote in a URL must never reach
 * the store (PostgreSQL refuses NUL in text with an error that would surface as a 500).
 */
@Injectable()
export class IdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    const problems = requiredId('id', value);
    if (problems.length) throw new BadRequestException({ code: 'INVALID_ID', message: problems.join('; ') });
    return value as string;
  }
}
