import { createHash } from 'node:crypto';
import { uuidText } from './uuid-text.js';

/**
 * A UUID (version 5 layout) derived from `parts`: the same parts always give the same id, so a
 * command sent again after a redelivery carries the id it had the first time.
 */
export function deterministicUuid(...parts: Array<string | number>): string {
  const hash = createHash('sha1').update(parts.join('\u0000')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  return uuidText(hash);
}
